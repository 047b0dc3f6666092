// `npm start`: the whole platform on this machine, no Docker, no accounts. Ctrl-C stops it all.
import { DEFAULT_DATA_DIR, DEMO_PASSWORD, DEMO_USERS, killGroupNow, redactUrl, startStack } from "../src/index.ts";
import { startKafkaBridge, type RunningBridge } from "../src/kafka-bridge.ts";

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
  await stack?.stop();
  process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));

try {
  stack = await startStack({
    gatewayPort: port("PORT", 8787),
    postgresPort: port("PG_PORT", 54329),
    proxyPort: port("NEON_PROXY_PORT", 54330),
    inspectorPort: port("INSPECTOR_PORT", 9229),
    dataDir: env.PLATFORM_DATA_DIR ?? DEFAULT_DATA_DIR,
    databaseUrl: env.DATABASE_URL || undefined,
    seed: env.SEED !== "false",
    say,
    echo: env.QUIET ? undefined : (chunk) => process.stdout.write(chunk),
    // Cron triggers do not fire under wrangler dev: sweep the outboxes on a timer instead.
    sweepIntervalMs: 30_000,
    // Stripe test mode when the developer has a key (`stripe listen` prints the webhook secret);
    // without one, the payments worker's offline sandbox.
    extraVars: { "platform-payments": stripeVars(env) },
  });
  // KAFKA_BROKERS turns the Kafka bridge on, in this process, relaying this stack's outboxes.
  if (env.KAFKA_BROKERS) bridge = await startKafkaBridge(stack, env, say);
} catch (error) {
  console.error(`\n✖ ${error instanceof Error ? error.message : String(error)}`);
  await stack?.stop();
  process.exit(1);
}

const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(`
✔ The platform is up and healthy (${seconds} s).

  Site and API   ${stack.gatewayUrl}
  Health         ${stack.gatewayUrl}/api/health
  Database       ${redactUrl(stack.databaseUrl)}
  Logs           ${stack.logDir}${bridge ? `\n  Kafka bridge   ${bridge.describe()}` : ""}

  Demo logins (password "${DEMO_PASSWORD}"):
${DEMO_USERS.map((user) => `    ${user.roles.join(",").padEnd(11)} ${user.email}`).join("\n")}

  Ctrl-C stops everything.
`);
