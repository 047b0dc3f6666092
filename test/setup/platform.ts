import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { freePort, generateSigningKey, startStack, type Stack } from "@platform/dev-stack";

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
    /** The stack's wrangler dev registry, for tests that bind to its workers from Node (getPlatformProxy). */
    registryPath: string;
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
};

/** Starts the whole platform once for the platform tests, in a throw-away data folder. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dataDir = mkdtempSync(join(tmpdir(), "platform-test-"));
  // mkdtemp makes the folder private; as root, PostgreSQL runs as its own user and must get through it.
  chmodSync(dataDir, 0o755);
  const signingKeys = JSON.stringify([await generateSigningKey("test-active"), await generateSigningKey("test-previous")]);
  let stack: Stack | undefined;
  try {
    stack = await startStack({
      gatewayPort: await freePort(),
      postgresPort: await freePort(),
      proxyPort: await freePort(),
      inspectorPort: await freePort(),
      dataDir,
      seed: true,
      signingKeys,
      // Retries at once, so a poison message reaches the dead-letter queue in seconds, not minutes.
      extraVars: {
        "platform-gateway": TEST_GATEWAY_VARS,
        "platform-events": { QUEUE_RETRY_BASE_SECONDS: "0" },
        // A sign-in lock after 6 failures that lasts 3 s, so a test can watch it engage and expire.
        "platform-auth": TEST_AUTH_VARS,
      },
      say: (message) => console.log(`[platform] ${message}`),
    });
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  project.provide("gatewayUrl", stack.gatewayUrl);
  project.provide("databaseUrl", stack.databaseUrl);
  project.provide("proxyPort", stack.proxyPort);
  project.provide("logDir", stack.logDir);
  project.provide("signingKeys", signingKeys);
  project.provide("gatewayVars", TEST_GATEWAY_VARS);
  project.provide("inboundEventsSecret", stack.inboundEventsSecret);
  project.provide("registryPath", stack.registryPath);
  return async () => {
    await stack?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
