export interface BrokerSettings {
  readonly port: number;
  readonly controllerPort: number;
  readonly logDir: string;
  /** Partitions of a topic created without a count. */
  readonly defaultPartitions: number;
  /** Off by default, so a client that forgets to create its topics fails instead of getting defaults silently. */
  readonly autoCreateTopics: boolean;
  /** A second client listener that takes only SASL/SCRAM clients (no TLS: loopback, for tests). */
  readonly scramPort?: number;
}

/** The SCRAM mechanisms the SASL listener offers; users get credentials for both. */
export const SCRAM_MECHANISMS = ["SCRAM-SHA-256", "SCRAM-SHA-512"] as const;

/**
 * One node that is broker and KRaft controller at once (no ZooKeeper), on 127.0.0.1 only.
 * Internal topics get one partition and one replica: a single local node cannot hold more, and
 * fifty offset partitions would only slow the first consumer group down.
 */
export function serverProperties(settings: BrokerSettings): string {
  const scram = settings.scramPort === undefined ? "" : `,SASL_PLAINTEXT://127.0.0.1:${settings.scramPort}`;
  const lines: Record<string, string | number | boolean> = {
    "process.roles": "broker,controller",
    "node.id": 1,
    "controller.quorum.voters": `1@127.0.0.1:${settings.controllerPort}`,
    listeners: `PLAINTEXT://127.0.0.1:${settings.port}${scram},CONTROLLER://127.0.0.1:${settings.controllerPort}`,
    "advertised.listeners": `PLAINTEXT://127.0.0.1:${settings.port}${scram}`,
    "controller.listener.names": "CONTROLLER",
    "inter.broker.listener.name": "PLAINTEXT",
    "listener.security.protocol.map": `CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT${scram && ",SASL_PLAINTEXT:SASL_PLAINTEXT"}`,
    // SCRAM users live in the cluster's metadata (created when the storage is formatted); the
    // broker's side of the exchange needs only the login module, no password of its own.
    ...(scram && {
      "sasl.enabled.mechanisms": SCRAM_MECHANISMS.join(","),
      ...Object.fromEntries(
        SCRAM_MECHANISMS.map((mechanism) => [
          `listener.name.sasl_plaintext.${mechanism.toLowerCase()}.sasl.jaas.config`,
          "org.apache.kafka.common.security.scram.ScramLoginModule required;",
        ]),
      ),
    }),
    "log.dirs": settings.logDir,
    "num.partitions": settings.defaultPartitions,
    "auto.create.topics.enable": settings.autoCreateTopics,
    "offsets.topic.replication.factor": 1,
    "offsets.topic.num.partitions": 1,
    "transaction.state.log.replication.factor": 1,
    "transaction.state.log.min.isr": 1,
    "transaction.state.log.num.partitions": 1,
    "group.initial.rebalance.delay.ms": 0,
    // Fewer threads than the defaults: the machine is shared with PostgreSQL, workerd and the tests.
    "num.network.threads": 2,
    "num.io.threads": 4,
    "num.recovery.threads.per.data.dir": 1,
    "log.retention.hours": 24,
  };
  return `${Object.entries(lines)
    .map(([key, value]) => `${key}=${String(value)}`)
    .join("\n")}\n`;
}

/** The broker's own log goes to one file, not to the terminal of whoever started it. */
export function log4jProperties(logFile: string): string {
  return [
    "log4j.rootLogger=INFO, file",
    "log4j.logger.kafka.request.logger=WARN",
    "log4j.logger.org.apache.kafka.clients=WARN",
    "log4j.logger.state.change.logger=WARN",
    "log4j.appender.file=org.apache.log4j.FileAppender",
    `log4j.appender.file.File=${logFile}`,
    "log4j.appender.file.Append=true",
    "log4j.appender.file.layout=org.apache.log4j.PatternLayout",
    "log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n",
    "",
  ].join("\n");
}
