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
  }
}

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
  return async () => {
    await stack?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
