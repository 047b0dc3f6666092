import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { DOMAIN_SERVICES } from "@platform/contracts";
import { freePort, generateSigningKey, startStack, type Stack } from "@platform/dev-stack";
import { startStripeStandIn, type StripeStandIn } from "@platform/stripe-stand-in";
import { startTestMailbox } from "@platform/test-mailbox";

declare module "vitest" {
  export interface ProvidedContext {
    gatewayUrl: string;
    databaseUrl: string;
    proxyPort: number;
    logDir: string;
    /** The auth worker's private JWKs: [active, previous] — a stack in the middle of a key rotation. */
    signingKeys: string;
    /** The vars this run lays over the gateway's committed ones (see TEST_GATEWAY_VARS). */
    gatewayVars: Record<string, string>;
    /** The secret integrators' events are signed with (the events worker's INBOUND_EVENTS_SECRET). */
    inboundEventsSecret: string;
    /** The bearer token the gateway's `/metrics` answers (METRICS_TOKEN). */
    metricsToken: string;
    /** The stack's wrangler dev registry, for tests that bind to its workers from Node (getPlatformProxy). */
    registryPath: string;
    /** The local Stripe API stand-in the payments worker talks to (its `/_stand-in/` control API drives tests). */
    stripeStandInUrl: string;
    /** The payments worker's STRIPE_WEBHOOK_SECRET: what the stand-in signs webhooks with. */
    stripeWebhookSecret: string;
    /** The test mailbox's control API (test/support/mailbox.ts): every mail the platform sends lands there. */
    mailboxUrl: string;
  }
}

/**
 * The production limits, with short windows so tests can watch a limit reset, and origins for
 * the CORS tests. Each test client gets its own address (test/support/api.ts), so these never
 * get in the way of tests that do not mean to meet them.
 */
const TEST_GATEWAY_VARS: Record<string, string> = {
  LOGIN_RATE_LIMIT: "10",
  LOGIN_RATE_WINDOW_SECONDS: "4",
  REGISTER_RATE_LIMIT: "5",
  REGISTER_RATE_WINDOW_SECONDS: "4",
  MAX_BODY_BYTES: "1048576",
  CORS_ORIGINS: "https://app.example.test, http://localhost:4321",
};

const TEST_AUTH_VARS: Record<string, string> = {
  LOGIN_LOCK_AFTER: "6",
  LOGIN_LOCK_SECONDS: "3",
  LOGIN_MAX_DELAY_SECONDS: "2",
  // A short grace window for a raced refresh, so a test can watch it pass.
  REFRESH_REUSE_GRACE_SECONDS: "2",
};

/**
 * The delivery windows, short enough that a test can outlast all of them with the database down
 * (workers/events/test/outage.platform.test.ts): Queue retries at once (5, the committed
 * max_retries), the dead-letter consumer's retries at once (10), and an unconfirmed event re-sent
 * by the sweep after 10 s (production: 5 s doubling, 30 s, 300 s).
 */
/** Webhook retries after 1 s each (four attempts in all), so a test watches a delivery fail, retry and give up. */
const TEST_EVENTS_VARS: Record<string, string> = {
  QUEUE_RETRY_BASE_SECONDS: "0",
  DEAD_LETTER_RETRY_SECONDS: "0",
  WEBHOOK_RETRY_SCHEDULE: "1,1,1",
  WEBHOOK_TIMEOUT_MS: "3000",
};
const TEST_OUTBOX_VARS: Record<string, string> = { OUTBOX_RESEND_AFTER_SECONDS: "10" };
/** Retries of refused mail after 1 s, 2 s, 4 s…, so a test can watch a 4xx retried and then delivered. */
/**
 * Refused mail is retried after 1 s, doubling, so a test can watch a 451 turn into a delivery; and a push
 * service on loopback (a test's own server, plain http) is a valid subscription endpoint here.
 */
const TEST_NOTIFICATIONS_VARS: Record<string, string> = {
  DELIVERY_RETRY_BASE_SECONDS: "1",
  PUSH_INSECURE_HOSTS: "127.0.0.1",
};
const outboxVarsForEveryDomainWorker = Object.fromEntries(
  DOMAIN_SERVICES.map((service) => [`platform-${service}`, TEST_OUTBOX_VARS]),
);

/** A test-mode key and webhook secret for this run: the stand-in accepts only these. */
const STRIPE_SECRET_KEY = `sk_test_${crypto.randomUUID().replaceAll("-", "")}`;
const STRIPE_WEBHOOK_SECRET = `whsec_${crypto.randomUUID().replaceAll("-", "")}`;

/** Starts the whole platform once for the platform tests, in a throw-away data folder. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dataDir = mkdtempSync(join(tmpdir(), "platform-test-"));
  // mkdtemp makes the folder private; as root, PostgreSQL runs as its own user and must get through it.
  chmodSync(dataDir, 0o755);
  const signingKeys = JSON.stringify([
    await generateSigningKey("test-active"),
    await generateSigningKey("test-previous"),
  ]);
  let stack: Stack | undefined;
  // Stripe's API cannot be reached from here: the payments worker talks to a local stand-in
  // through the official SDK. Each webhook comes from its own address, as Stripe's come from
  // many: the gateway's per-client limit would otherwise count a test's hundreds as one client.
  let webhookAddress = 0;
  const stripe: StripeStandIn = await startStripeStandIn({
    secretKey: STRIPE_SECRET_KEY,
    webhookSecret: STRIPE_WEBHOOK_SECRET,
    deliveryHeaders: () => ({ "cf-connecting-ip": `2001:db8:5:${(webhookAddress++ % 65536).toString(16)}::1` }),
  });
  // A real SMTP server the notifications worker sends to; tests read what arrived through its control API.
  const mailbox = await startTestMailbox();
  try {
    stack = await startStack({
      gatewayPort: await freePort(),
      postgresPort: await freePort(),
      proxyPort: await freePort(),
      inspectorPort: await freePort(),
      dataDir,
      seed: true,
      signingKeys,
      // Tests take the database away from the workers through the proxy's switch.
      proxyControl: true,
      mail: { host: "127.0.0.1", port: mailbox.smtpPort },
      // Retries at once, so a poison message reaches the dead-letter queue in seconds, not minutes.
      extraVars: {
        ...outboxVarsForEveryDomainWorker,
        "platform-gateway": TEST_GATEWAY_VARS,
        "platform-events": { ...TEST_OUTBOX_VARS, ...TEST_EVENTS_VARS },
        // A sign-in lock after 6 failures that lasts 3 s, so a test can watch it engage and expire.
        "platform-auth": { ...TEST_OUTBOX_VARS, ...TEST_AUTH_VARS },
        "platform-payments": {
          ...TEST_OUTBOX_VARS,
          STRIPE_SECRET_KEY,
          STRIPE_WEBHOOK_SECRET,
          STRIPE_API_BASE: stripe.url,
        },
        "platform-notifications": { ...TEST_OUTBOX_VARS, ...TEST_NOTIFICATIONS_VARS },
      },
      say: (message) => console.log(`[platform] ${message}`),
    });
  } catch (error) {
    await stripe.stop();
    await mailbox.stop();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  stripe.setWebhookUrl(`${stack.gatewayUrl}/api/payments/webhooks/stripe`);
  project.provide("gatewayUrl", stack.gatewayUrl);
  project.provide("databaseUrl", stack.databaseUrl);
  project.provide("proxyPort", stack.proxyPort);
  project.provide("logDir", stack.logDir);
  project.provide("signingKeys", signingKeys);
  project.provide("gatewayVars", TEST_GATEWAY_VARS);
  project.provide("inboundEventsSecret", stack.inboundEventsSecret);
  project.provide("metricsToken", stack.metricsToken);
  project.provide("registryPath", stack.registryPath);
  project.provide("stripeStandInUrl", stripe.url);
  project.provide("stripeWebhookSecret", STRIPE_WEBHOOK_SECRET);
  project.provide("mailboxUrl", mailbox.url);
  return async () => {
    await stack?.stop();
    await stripe.stop();
    await mailbox.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
