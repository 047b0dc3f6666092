import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { DOMAIN_SERVICES } from "@platform/contracts";
import { backfillAll, migrateAll, type MigrationResult } from "@platform/db/migrate";
import { assertReachable, targetOf } from "./database-url.ts";
import { seedDemoData } from "./demo-data.ts";
import { DOMAIN_WORKER_CONFIGS, GATEWAY_CONFIG, migrationsFolder } from "./paths.ts";
import { assertPortFree } from "./ports.ts";
import { startEmbeddedPostgres } from "./postgres.ts";
import { startSweepTimer } from "./outbox-sweep.ts";
import {
  localInboundEventsSecret,
  localOidcSecretsKey,
  localSigningKeys,
  localStripeWebhookSecret,
} from "./signing-keys.ts";
import {
  localLiveTicketSecret,
  localMediaUrlSecret,
  localMetricsToken,
  localNotificationSecrets,
} from "./secret-vars.ts";
import { siteWorkerConfig } from "./site.ts";
import { writeRunConfigs } from "./wrangler-configs.ts";
import { startWranglerDev } from "./wrangler-dev.ts";
import { startWsProxy } from "./ws-proxy.ts";

export interface StackOptions {
  readonly gatewayPort: number;
  readonly postgresPort: number;
  readonly proxyPort: number;
  readonly inspectorPort: number;
  /** Holds PostgreSQL's data, local KV/R2/DO state and logs; survives restarts. */
  readonly dataDir: string;
  /** Use this PostgreSQL instead of starting the embedded one. */
  readonly databaseUrl?: string;
  readonly seed: boolean;
  /** Progress messages for a person watching. */
  readonly say?: (message: string) => void;
  /** Wrangler's own output, as it comes. */
  readonly echo?: (chunk: string) => void;
  readonly healthTimeoutMs?: number;
  /** JSON array of Ed25519 private JWKs for the auth worker; by default one kept in the data folder. */
  readonly signingKeys?: string;
  /** The SMTP server the notifications worker sends to (plain SMTP on loopback); none: mail is recorded, not sent. */
  readonly mail?: { readonly host: string; readonly port: number };
  /**
   * More wrangler vars, per worker name (e.g. `platform-gateway`), laid over the committed ones and
   * the stack's own. Tests shorten rate-limit windows this way; `npm start` passes none.
   */
  readonly extraVars?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Serve the Neon proxy's test-only switch (`setProxyDatabaseState`): tests take the database away from the workers. */
  readonly proxyControl?: boolean;
  /** Run the outbox sweep (the gateway's cron handler) this often; off when unset (tests trigger it). */
  readonly sweepIntervalMs?: number;
  /** Drop the workers' console output instead of relaying it into the log (the bench's production-shaped mode). */
  readonly discardWorkerStdout?: boolean;
  /** The gateway's listening address; loopback when unset (see wrangler-dev.ts). */
  readonly listenHost?: string;
}

export interface Stack {
  readonly gatewayUrl: string;
  readonly databaseUrl: string;
  readonly proxyPort: number;
  readonly wranglerPid: number;
  readonly logDir: string;
  readonly migrations: MigrationResult[];
  /** This stack's wrangler dev registry: a tool started with WRANGLER_REGISTRY_PATH set to it can bind to its workers. */
  readonly registryPath: string;
  /** Shared by the events worker and the Kafka bridge: signs integrators' events. */
  readonly inboundEventsSecret: string;
  /** The bearer token of the gateway's `/metrics`, and the private file that holds it (Prometheus reads it). */
  readonly metricsToken: string;
  readonly metricsTokenFile: string;
  /** Stops everything this stack started, in reverse order. Safe to call twice. */
  stop(): Promise<void>;
}

export const MIGRATION_SETS = DOMAIN_SERVICES.map((service) => ({
  schema: service,
  folder: migrationsFolder(service),
}));

/**
 * Brings the platform up: PostgreSQL (embedded unless a URL is given), migrations, demo data,
 * the WebSocket proxy the Neon driver needs, and every worker in one `wrangler dev`. If any step
 * fails, whatever had started is stopped again before the error is rethrown.
 */
export async function startStack(options: StackOptions): Promise<Stack> {
  const say = options.say ?? (() => {});
  const logDir = join(options.dataDir, "logs");
  mkdirSync(logDir, { recursive: true });
  const cleanups: Array<() => Promise<void>> = [];
  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
    })());

  try {
    await assertPortFree(options.gatewayPort, "gateway");
    await assertPortFree(options.proxyPort, "Neon WebSocket proxy");
    await assertPortFree(options.inspectorPort, "wrangler inspector");

    let databaseUrl: string;
    if (options.databaseUrl) {
      say("Checking DATABASE_URL …");
      await assertReachable(options.databaseUrl);
      databaseUrl = options.databaseUrl;
    } else {
      await assertPortFree(options.postgresPort, "embedded PostgreSQL");
      say(`Starting PostgreSQL (data in ${join(options.dataDir, "postgres")}) …`);
      const postgres = await startEmbeddedPostgres({
        dataDir: join(options.dataDir, "postgres"),
        port: options.postgresPort,
        database: "platform",
        logFile: join(logDir, "postgres.log"),
      });
      cleanups.push(() => postgres.stop());
      databaseUrl = postgres.connectionString;
    }

    say("Migrating every service schema …");
    const migrations = await migrateAll(databaseUrl, MIGRATION_SETS);
    if (options.seed) {
      say("Loading demo data …");
      await seedDemoData(databaseUrl);
      // The demo rows are written by SQL: what a write through the API stores beside them (rendered HTML) comes next.
      await backfillAll(databaseUrl, MIGRATION_SETS);
    }

    const proxy = await startWsProxy({
      port: options.proxyPort,
      target: targetOf(databaseUrl),
      control: options.proxyControl,
    });
    cleanups.push(() => proxy.close());

    const site = await siteWorkerConfig(say);
    const configs = [GATEWAY_CONFIG, ...DOMAIN_WORKER_CONFIGS, site];
    const domainWorkerNames = new Set(DOMAIN_SERVICES.map((service) => `platform-${service}`));
    const databaseVars: Record<string, string> = {
      DATABASE_URL: databaseUrl,
      NEON_WS_PROXY: `127.0.0.1:${proxy.port}`,
    };
    // Tokens are issued for, and checked against, this stack's own origin.
    const issuer = `http://127.0.0.1:${options.gatewayPort}`;
    const privateKeys =
      options.signingKeys ?? (await localSigningKeys(join(options.dataDir, "secrets", "jwt-keys.json")));
    const inboundEventsSecret = localInboundEventsSecret(join(options.dataDir, "secrets", "inbound-events-secret"));
    const stripeWebhookSecret = localStripeWebhookSecret(join(options.dataDir, "secrets", "stripe-webhook-secret"));
    const oidcSecretsKey = localOidcSecretsKey(join(options.dataDir, "secrets", "oidc-secrets-key"));
    // The same kind of key (32 random bytes, base64) for webhook endpoints' signing secrets at rest.
    const webhookSecretsKey = localOidcSecretsKey(join(options.dataDir, "secrets", "webhook-secrets-key"));
    const liveTicketSecret = localLiveTicketSecret(join(options.dataDir, "secrets", "live-ticket-secret"));
    const metricsTokenFile = join(options.dataDir, "secrets", "metrics-token");
    const metricsToken = localMetricsToken(metricsTokenFile);
    const notificationSecrets = localNotificationSecrets(join(options.dataDir, "secrets", "notifications"));
    const mediaUrlSecret = localMediaUrlSecret(join(options.dataDir, "secrets", "media-url-secret"));
    // Where the workers send mail: the developer's inbox (`npm start`) or a test's SMTP server.
    const mailVars: Record<string, string> = options.mail
      ? { SMTP_HOST: options.mail.host, SMTP_PORT: String(options.mail.port) }
      : {};
    const stackVarsFor = (name: string): Record<string, string> => {
      if (name === "platform-gateway") {
        return { JWT_ISSUER: issuer, LIVE_TICKET_SECRET: liveTicketSecret, METRICS_TOKEN: metricsToken };
      }
      if (name === "platform-events") {
        return {
          ...databaseVars,
          INBOUND_EVENTS_SECRET: inboundEventsSecret,
          WEBHOOK_SECRETS_KEY: webhookSecretsKey,
          // A developer's webhook receiver on this machine is a valid target here, and only here.
          WEBHOOK_INSECURE_HOSTS: "127.0.0.1,localhost",
        };
      }
      if (name === "platform-payments") return { ...databaseVars, STRIPE_WEBHOOK_SECRET: stripeWebhookSecret };
      if (name === "platform-courses") return { ...databaseVars, MEDIA_URL_SECRET: mediaUrlSecret };
      if (name === "platform-notifications") {
        return { ...databaseVars, ...notificationSecrets, ...mailVars, PUBLIC_ORIGIN: issuer };
      }
      if (name === "platform-auth") {
        return {
          ...databaseVars,
          PUBLIC_ORIGIN: issuer,
          JWT_ISSUER: issuer,
          JWT_PRIVATE_KEYS: privateKeys,
          OIDC_SECRETS_KEY: oidcSecretsKey,
        };
      }
      return domainWorkerNames.has(name) ? databaseVars : {};
    };
    const varsFor = (name: string): Record<string, string> => ({ ...stackVarsFor(name), ...options.extraVars?.[name] });
    const runConfigs = writeRunConfigs(configs, join(options.dataDir, "run", String(options.gatewayPort)), varsFor);

    say("Starting the workers (wrangler dev) …");
    const registryPath = join(options.dataDir, "wrangler-registry");
    const wrangler = await startWranglerDev({
      registryPath,
      configs: runConfigs,
      port: options.gatewayPort,
      inspectorPort: options.inspectorPort,
      persistTo: join(options.dataDir, "wrangler"),
      logFile: join(logDir, `wrangler-${options.gatewayPort}.log`),
      echo: options.echo,
      discardWorkerStdout: options.discardWorkerStdout,
      listenHost: options.listenHost,
    });
    cleanups.push(() => wrangler.stop());

    await waitForHealthy(wrangler.url, options.healthTimeoutMs ?? 60_000);
    if (options.sweepIntervalMs) {
      const stopSweeps = startSweepTimer(wrangler.url, options.sweepIntervalMs, (error) =>
        say(`Outbox sweep failed: ${error instanceof Error ? error.message : String(error)}`),
      );
      cleanups.push(stopSweeps);
    }
    return {
      gatewayUrl: wrangler.url,
      databaseUrl,
      proxyPort: proxy.port,
      wranglerPid: wrangler.pid,
      logDir,
      migrations,
      inboundEventsSecret,
      metricsToken,
      metricsTokenFile,
      registryPath,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function waitForHealthy(gatewayUrl: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer yet";
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${gatewayUrl}/api/health`, { signal: AbortSignal.timeout(10_000) });
      const body = await response.text();
      if (response.status === 200) return;
      last = `${response.status} ${body}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`The platform did not become healthy within ${timeoutMs / 1000} s. Last answer: ${last}`);
}
