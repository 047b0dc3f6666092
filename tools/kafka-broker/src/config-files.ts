export interface BrokerSettings {
  readonly port: number;
  readonly controllerPort: number;
  readonly logDir: string;
  /** Partitions of a topic created without a count. */
  readonly defaultPartitions: number;
  /** Off by default, so a client that forgets to create its topics fails instead of getting defaults silently. */
  readonly autoCreateTopics: boolean;
}

/**
 * One node that is broker and KRaft controller at once (no ZooKeeper), on 127.0.0.1 only.
 * Internal topics get one partition and one replica: a single local node cannot hold more, and
 * fifty offset partitions would only slow the first consumer group down.
 */
export function serverProperties(settings: BrokerSettings): string {
  const lines: Record<string, string | number | boolean> = {
    "process.roles": "broker,controller",
    "node.id": 1,
    "controller.quorum.voters": `1@127.0.0.1:${settings.controllerPort}`,
    listeners: `PLAINTEXT://127.0.0.1:${settings.port},CONTROLLER://127.0.0.1:${settings.controllerPort}`,
    "advertised.listeners": `PLAINTEXT://127.0.0.1:${settings.port}`,
    "controller.listener.names": "CONTROLLER",
    "inter.broker.listener.name": "PLAINTEXT",
    "listener.security.protocol.map": "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
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
