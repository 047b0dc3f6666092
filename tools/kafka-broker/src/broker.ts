import { spawn, execFile, type ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, openSync, closeSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { brokerClasspath } from "./classpath.ts";
import { log4jProperties, SCRAM_MECHANISMS, serverProperties } from "./config-files.ts";
import { DEFAULT_CACHE_DIR, DEFAULT_KAFKA_VERSION } from "./paths.ts";
import { hasExited, killGroup, killGroupNow, stopGroup } from "./process-group.ts";
import { waitUntilReady } from "./readiness.ts";

const run = promisify(execFile);

export interface KafkaBrokerOptions {
  /** Holds the broker's data (topics, offsets) and its logs; kept across `stop()`/`start()`. */
  readonly dataDir: string;
  /** Client port on 127.0.0.1; a free one when omitted. */
  readonly port?: number;
  /** KRaft controller port on 127.0.0.1; a free one when omitted. */
  readonly controllerPort?: number;
  /** Apache Kafka version from Maven Central (default 3.9.1; see DEFAULT_KAFKA_VERSION). */
  readonly version?: string;
  /** Where resolved classpaths are cached (default `.data/kafka` in the repository). */
  readonly cacheDir?: string;
  /** Partitions of a topic created without a count (default 1). */
  readonly defaultPartitions?: number;
  /** Default false: clients create the topics they need. */
  readonly autoCreateTopics?: boolean;
  /** JVM heap limit (default 512m: the machine is shared). */
  readonly heap?: string;
  readonly readyTimeoutMs?: number;
  /** How long a SIGTERM may take before the broker is killed (default 20 s). */
  readonly stopGraceMs?: number;
  readonly say?: (message: string) => void;
  /**
   * Also listen for SASL/SCRAM clients (SCRAM-SHA-256 and -512, no TLS) on a second port, with
   * these users. Users are created when the storage is formatted: a folder formatted with other
   * users is refused rather than silently left without them.
   */
  readonly scram?: {
    readonly users: readonly ScramUser[];
    /** A free one when omitted. */
    readonly port?: number;
  };
}

export interface ScramUser {
  readonly username: string;
  readonly password: string;
}

export interface KafkaBroker {
  /** The bootstrap address for clients: `127.0.0.1:<port>`. */
  readonly brokers: string;
  readonly port: number;
  readonly controllerPort: number;
  /** The SASL/SCRAM listener's bootstrap address, when `scram` was asked for. */
  readonly scramBrokers?: string;
  readonly version: string;
  readonly dataDir: string;
  /** The broker's own log (log4j). */
  readonly logFile: string;
  /** The running broker's process id (it leads its own process group), or undefined while stopped. */
  pid(): number | undefined;
  isRunning(): boolean;
  /** Clean shutdown: SIGTERM to the process group, waiting for it to exit (SIGKILL after the grace period). */
  stop(): Promise<void>;
  /** SIGKILL to the process group, as in a crash; resolves when it is gone. */
  kill(): Promise<void>;
  /** Starts the broker again on the same data folder and ports, and waits until it is ready. */
  start(): Promise<void>;
}

/** Fails with a message a person can act on, rather than a broker that dies at start or a client that finds another one. */
async function assertPortFree(port: number, purpose: string): Promise<void> {
  await new Promise<void>((resolvePort, reject) => {
    const server = createServer();
    server.once("error", () =>
      reject(
        new Error(
          `Port ${port} (Kafka ${purpose}) is already in use. Is another broker running? Stop it or choose another port.`,
        ),
      ),
    );
    server.listen({ host: "127.0.0.1", port, exclusive: true }, () => server.close(() => resolvePort()));
  });
}

export async function freePort(): Promise<number> {
  return await new Promise<number>((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen({ host: "127.0.0.1", port: 0 }, () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolvePort(port));
    });
  });
}

/** Names and passwords go into StorageTool's `name=…,password=…` syntax: keep them to plain characters. */
const SCRAM_TEXT = /^[A-Za-z0-9._-]{1,128}$/;

function scramArguments(users: readonly ScramUser[]): string[] {
  for (const { username, password } of users) {
    if (!SCRAM_TEXT.test(username) || !SCRAM_TEXT.test(password)) {
      throw new Error(`SCRAM user names and passwords are letters, digits, ".", "_" and "-" only (user ${username}).`);
    }
  }
  return users.flatMap(({ username, password }) =>
    SCRAM_MECHANISMS.flatMap((mechanism) => ["--add-scram", `${mechanism}=[name=${username},password=${password}]`]),
  );
}

/** What the storage was formatted with, as a digest: compared on later starts, never the passwords themselves. */
function scramFingerprint(users: readonly ScramUser[]): string {
  const text = JSON.stringify([...users].map((user) => [user.username, user.password]).sort());
  return createHash("sha256").update(text).digest("hex");
}

/** Kafka's cluster ids are 16 random bytes in URL-safe base64 without padding. */
function newClusterId(): string {
  return randomBytes(16).toString("base64url");
}

function jvmArgs(classpath: string, heap: string, log4jFile: string): string[] {
  return [
    `-Xmx${heap}`,
    "-Xms128m",
    "-XX:+UseG1GC",
    "-XX:MaxGCPauseMillis=20",
    "-XX:+ExitOnOutOfMemoryError",
    "-Djava.awt.headless=true",
    `-Dlog4j.configuration=file:${log4jFile}`,
    "-cp",
    classpath,
  ];
}

/**
 * A real Apache Kafka broker (KRaft, one node, loopback only) from the official jars on Maven
 * Central: no Docker, no download outside Maven. The first start resolves the jars with Maven
 * and formats the storage; later starts on the same folder reuse both.
 */
export async function startKafkaBroker(options: KafkaBrokerOptions): Promise<KafkaBroker> {
  const version = options.version ?? DEFAULT_KAFKA_VERSION;
  const dataDir = resolve(options.dataDir);
  const logDir = join(dataDir, "data");
  const logFile = join(dataDir, "server.log");
  const outFile = join(dataDir, "jvm.out");
  const propertiesFile = join(dataDir, "server.properties");
  const log4jFile = join(dataDir, "log4j.properties");
  const port = options.port ?? (await freePort());
  const controllerPort = options.controllerPort ?? (await freePort());
  const heap = options.heap ?? "512m";
  const brokers = `127.0.0.1:${port}`;
  const scramPort = options.scram ? (options.scram.port ?? (await freePort())) : undefined;

  mkdirSync(logDir, { recursive: true });
  const classpath = await brokerClasspath({
    version,
    cacheDir: options.cacheDir ?? DEFAULT_CACHE_DIR,
    say: options.say,
  });
  writeFileSync(
    propertiesFile,
    serverProperties({
      port,
      controllerPort,
      logDir,
      defaultPartitions: options.defaultPartitions ?? 1,
      autoCreateTopics: options.autoCreateTopics ?? false,
      scramPort,
    }),
  );
  writeFileSync(log4jFile, log4jProperties(logFile));

  const clusterIdFile = join(dataDir, "cluster-id");
  if (!existsSync(clusterIdFile)) writeFileSync(clusterIdFile, newClusterId());
  const clusterId = readFileSync(clusterIdFile, "utf8").trim();
  const scramFile = join(dataDir, "scram-users.sha256");
  const scramUsers = options.scram?.users ?? [];
  if (!existsSync(join(logDir, "meta.properties"))) {
    options.say?.(`Formatting Kafka storage in ${logDir} …`);
    // `kafka-storage.sh format`, run through its main class; kafka.tools.StorageTool in 3.x and 4.x.
    await run(
      "java",
      [
        ...jvmArgs(classpath, "256m", log4jFile),
        "kafka.tools.StorageTool",
        "format",
        "-t",
        clusterId,
        "-c",
        propertiesFile,
        ...scramArguments(scramUsers),
      ],
      {
        timeout: 60_000,
      },
    ).catch((error: unknown) => {
      const detail = error as { stdout?: string; stderr?: string };
      throw new Error(`Formatting Kafka storage failed: ${detail.stderr || detail.stdout || String(error)}`, {
        cause: error,
      });
    });
    writeFileSync(scramFile, scramFingerprint(scramUsers));
  } else if (scramUsers.length > 0 && readIfExists(scramFile) !== scramFingerprint(scramUsers)) {
    throw new Error(
      `The Kafka storage in ${logDir} was not formatted with these SCRAM users, and users are created only when ` +
        "the storage is formatted: use another data folder, or delete this one.",
    );
  }

  let child: ChildProcess | undefined;
  const onExit = () => {
    if (child) killGroupNow(child);
  };

  const start = async () => {
    if (child && !hasExited(child)) throw new Error(`The Kafka broker in ${dataDir} is already running.`);
    await assertPortFree(port, "client port");
    await assertPortFree(controllerPort, "controller port");
    if (scramPort !== undefined) await assertPortFree(scramPort, "SASL/SCRAM port");
    const out = openSync(outFile, "a");
    try {
      // Its own process group, so stop() and kill() reach every process the JVM may start.
      child = spawn("java", [...jvmArgs(classpath, heap, log4jFile), "kafka.Kafka", propertiesFile], {
        cwd: dataDir,
        detached: true,
        stdio: ["ignore", out, out],
      });
    } finally {
      closeSync(out);
    }
    process.on("exit", onExit);
    const started = child;
    started.once("exit", () => process.off("exit", onExit));
    try {
      await waitUntilReady({
        brokers,
        clusterId,
        child: started,
        timeoutMs: options.readyTimeoutMs ?? 90_000,
        logFile,
      });
    } catch (error) {
      await killGroup(started);
      throw error;
    }
  };

  await start();
  return {
    brokers,
    port,
    controllerPort,
    ...(scramPort !== undefined && { scramBrokers: `127.0.0.1:${scramPort}` }),
    version,
    dataDir,
    logFile,
    pid: () => (child && !hasExited(child) ? child.pid : undefined),
    isRunning: () => child !== undefined && !hasExited(child),
    stop: async () => {
      if (child) await stopGroup(child, options.stopGraceMs ?? 20_000);
    },
    kill: async () => {
      if (child) await killGroup(child);
    },
    start,
  };
}

function readIfExists(file: string): string | undefined {
  return existsSync(file) ? readFileSync(file, "utf8").trim() : undefined;
}
