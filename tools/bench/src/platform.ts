import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { DomainService } from "@platform/contracts";
import { freePort, killGroupNow, startStack, workerConfig, type Stack } from "@platform/dev-stack";
import { startLoneWorker, type LoneWorker } from "./lone-worker.ts";

const FLOOR_WORKER_MAIN = fileURLToPath(new URL("../fixtures/floor-worker.ts", import.meta.url));

/** The running platform as scenarios see it; everything starts on first use. */
export interface Platform {
  gatewayUrl(): Promise<string>;
  /** The stack's PostgreSQL (for scenarios that seed data first). */
  databaseUrl(): Promise<string>;
  /** One domain worker in its own `wrangler dev` on the stack's database, without the gateway in front. */
  directWorkerUrl(service: DomainService): Promise<string>;
  /** A worker that does nothing (fixtures/floor-worker.ts) in its own `wrangler dev`: the dev server's own cost. */
  floorWorkerUrl(): Promise<string>;
}

export interface PlatformSession extends Platform {
  /** Stops whatever was started and removes the throw-away data folder. Safe to call twice. */
  stop(): Promise<void>;
  /** For signal handlers, which cannot wait: kill every wrangler process group now. */
  killNow(): void;
  /** For an exit handler, when `stop` could not finish: remove the throw-away data folder now. */
  removeDataNow(): void;
}

/**
 * A platform started lazily on free loopback ports in a throw-away folder, so a bench never
 * touches `npm start`'s data and only scenarios that need the stack pay for starting it.
 */
export function platformSession(say: (message: string) => void): PlatformSession {
  let dataDir: string | undefined;
  let stack: Promise<Stack> | undefined;
  const lone = new Map<string, Promise<LoneWorker>>();
  const wranglerPids = new Set<number>();
  let stopping: Promise<void> | undefined;

  const folder = () => {
    if (!dataDir) {
      dataDir = mkdtempSync(join(tmpdir(), "platform-bench-"));
      // As root, PostgreSQL runs as its own user and must be able to enter the folder.
      chmodSync(dataDir, 0o755);
    }
    return dataDir;
  };

  const startedStack = () => {
    if (stopping) return Promise.reject(new Error("The bench is stopping."));
    stack ??= (async () => {
      say("Starting the platform (PostgreSQL, migrations, demo data, every worker) …");
      const started = performance.now();
      const running = await startStack({
        gatewayPort: await freePort(),
        postgresPort: await freePort(),
        proxyPort: await freePort(),
        inspectorPort: await freePort(),
        dataDir: folder(),
        seed: true,
        say: (message) => say(`  ${message}`),
      });
      wranglerPids.add(running.wranglerPid);
      say(`Platform up at ${running.gatewayUrl} (${((performance.now() - started) / 1000).toFixed(1)} s).`);
      return running;
    })();
    return stack;
  };

  /** Starts a lone worker once, however many scenarios ask for it. */
  const loneWorker = async (key: string, start: () => Promise<LoneWorker>) => {
    if (stopping) throw new Error("The bench is stopping.");
    let worker = lone.get(key);
    if (!worker) {
      worker = start().then((started) => {
        wranglerPids.add(started.pid);
        return started;
      });
      lone.set(key, worker);
    }
    return (await worker).url;
  };

  return {
    gatewayUrl: async () => (await startedStack()).gatewayUrl,
    databaseUrl: async () => (await startedStack()).databaseUrl,
    directWorkerUrl: (service) =>
      loneWorker(`direct-${service}`, async () => {
        const running = await startedStack();
        say(`Starting the ${service} worker on its own (wrangler dev) …`);
        return await startLoneWorker({
          config: workerConfig(service),
          name: `bench-direct-${service}`,
          vars: { DATABASE_URL: running.databaseUrl, NEON_WS_PROXY: `127.0.0.1:${running.proxyPort}` },
          runDir: join(folder(), "run", `direct-${service}`),
          persistTo: join(folder(), `wrangler-direct-${service}`),
          logFile: join(running.logDir, `wrangler-direct-${service}.log`),
          registryPath: running.registryPath,
        });
      }),
    floorWorkerUrl: () =>
      loneWorker("floor", async () => {
        say("Starting the floor worker on its own (wrangler dev) …");
        // A domain worker's config (compatibility date and flags), with the do-nothing fixture as its code.
        return await startLoneWorker({
          config: workerConfig("courses"),
          name: "bench-floor",
          main: FLOOR_WORKER_MAIN,
          vars: {},
          runDir: join(folder(), "run", "floor"),
          persistTo: join(folder(), "wrangler-floor"),
          logFile: join(folder(), "wrangler-floor.log"),
          registryPath: join(folder(), "registry-floor"),
        });
      }),
    stop: () =>
      (stopping ??= (async () => {
        // Stopped groups leave the set, so a late killNow never signals a reused process id.
        const settled = await Promise.allSettled(lone.values());
        for (const result of settled) {
          if (result.status !== "fulfilled") continue;
          await result.value.stop();
          wranglerPids.delete(result.value.pid);
        }
        const running = await stack?.catch(() => undefined);
        await running?.stop();
        if (running) wranglerPids.delete(running.wranglerPid);
        if (dataDir) rmSync(dataDir, { recursive: true, force: true });
      })()),
    killNow: () => {
      for (const pid of wranglerPids) killGroupNow(pid);
    },
    removeDataNow: () => {
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
