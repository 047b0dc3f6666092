import { readFileSync } from "node:fs";

/** How the bridge proves itself to Kafka and protects the connection (production Kafka needs both). */
export type SaslMechanism = "plain" | "scram-sha-256" | "scram-sha-512";

export interface SaslSettings {
  readonly mechanism: SaslMechanism;
  readonly username: string;
  readonly password: string;
}

export interface TlsSettings {
  /** PEM certificates to trust besides the system's (a private CA); none: the system's only. */
  readonly ca?: readonly string[];
}

export interface KafkaSecurity {
  readonly tls?: TlsSettings;
  readonly sasl?: SaslSettings;
}

type Env = Readonly<Record<string, string | undefined>>;

const MECHANISMS: Record<string, SaslMechanism> = {
  PLAIN: "plain",
  "SCRAM-SHA-256": "scram-sha-256",
  "SCRAM-SHA-512": "scram-sha-512",
};

function flag(env: Env, name: string, fail: (message: string) => Error): boolean | undefined {
  const raw = env[name]?.trim().toLowerCase();
  if (!raw) return undefined;
  if (raw === "true" || raw === "1") return true;
  if (raw === "false" || raw === "0") return false;
  throw fail(`${name} must be true or false, not ${JSON.stringify(env[name])}.`);
}

function tlsFrom(env: Env, fail: (message: string) => Error): TlsSettings | undefined {
  const enabled = flag(env, "KAFKA_SSL", fail);
  const caFile = env.KAFKA_SSL_CA_FILE?.trim();
  if (caFile && enabled === false) throw fail("KAFKA_SSL_CA_FILE is set but KAFKA_SSL is false: say which you mean.");
  if (!caFile) return enabled ? {} : undefined;
  let pem: string;
  try {
    pem = readFileSync(caFile, "utf8");
  } catch (error) {
    throw fail(
      `KAFKA_SSL_CA_FILE cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}): ${caFile}`,
    );
  }
  if (!pem.includes("-----BEGIN CERTIFICATE-----")) throw fail(`KAFKA_SSL_CA_FILE holds no PEM certificate: ${caFile}`);
  return { ca: [pem] };
}

function saslFrom(env: Env, fail: (message: string) => Error): SaslSettings | undefined {
  const raw = env.KAFKA_SASL_MECHANISM?.trim();
  const username = env.KAFKA_SASL_USERNAME ?? "";
  const password = env.KAFKA_SASL_PASSWORD ?? "";
  if (!raw) {
    if (username || password) throw fail("KAFKA_SASL_USERNAME/PASSWORD are set but KAFKA_SASL_MECHANISM is not.");
    return undefined;
  }
  const mechanism = MECHANISMS[raw.toUpperCase()];
  if (!mechanism) {
    throw fail(
      `KAFKA_SASL_MECHANISM must be one of ${Object.keys(MECHANISMS).join(", ")}, not ${JSON.stringify(raw)}.`,
    );
  }
  if (!username || !password)
    throw fail(`KAFKA_SASL_MECHANISM is ${raw}, so KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD are required.`);
  return { mechanism, username, password };
}

/**
 * SASL (PLAIN or SCRAM) and TLS from the environment. SASL without TLS would send PLAIN's
 * password, or SCRAM's exchange and every event, in the clear: refused unless
 * KAFKA_ALLOW_SASL_PLAINTEXT=true says this is a local broker on purpose.
 */
export function kafkaSecurityFromEnv(env: Env, fail: (message: string) => Error): KafkaSecurity {
  const tls = tlsFrom(env, fail);
  const sasl = saslFrom(env, fail);
  if (sasl && !tls && flag(env, "KAFKA_ALLOW_SASL_PLAINTEXT", fail) !== true) {
    throw fail(
      "KAFKA_SASL_MECHANISM is set without TLS: set KAFKA_SSL=true (and KAFKA_SSL_CA_FILE for a private CA), " +
        "or KAFKA_ALLOW_SASL_PLAINTEXT=true for a local test broker only.",
    );
  }
  return { ...(tls && { tls }), ...(sasl && { sasl }) };
}

/** For logs and /health: what protects the connection, never the credentials. */
export function describeSecurity(security: KafkaSecurity): string {
  const protocol = `${security.sasl ? "SASL_" : ""}${security.tls ? "SSL" : "PLAINTEXT"}`;
  return security.sasl
    ? `${protocol} (${security.sasl.mechanism.toUpperCase()} as ${security.sasl.username})`
    : protocol;
}
