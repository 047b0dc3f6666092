import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { DomainService } from "@platform/contracts";
import { freePort, killGroupNow, startStack, userWorkerdEntryUrl, workerConfig, type Stack } from "@platform/dev-stack";
import { startTestMailbox, type TestMailbox } from "@platform/test-mailbox";
import { startLoneWorker, type LoneWorker } from "./lone-worker.ts";
import { startNodePeer, type NodePeer } from "./peer-server.ts";
import { processGroup, processTree, readCommandLine, singleProcess, type CpuGroup } from "./proc-cpu.ts";
import type { StackMode } from "./stack-mode.ts";

const FLOOR_WORKER_MAIN = fileURLToPath(new URL("../fixtures/floor-worker.ts", import.meta.url));

/** One running stack as a scenario sees it in a given mode (stack-mode.ts). */
export interface StackView {
  readonly mode: StackMode;
  /** Where requests for the gateway go in this mode. */
  readonly gatewayUrl: string;
  /** The PostgreSQL both modes share. */
  readonly databaseUrl: string;
  /** The processes that serve this stack's requests, for CPU accounting from /proc. */
  cpuGroups(): CpuGroup[];
}

/** The running platform as scenarios see it; everything starts on first use. */
export interface Platform {
  gatewayUrl(): Promise<string>;
  /** The stack's PostgreSQL (for scenarios that seed data first). */
  databaseUrl(): Promise<string>;
  /** The bearer token of the gateway's `/metrics` (docs/observability.md#metrics). */
  metricsToken(): Promise<string>;
  /**
   * The stack in a mode. `production-shaped` is a second `wrangler dev` of every worker on the
   * same PostgreSQL, with its workers' output discarded and its proxy worker stepped around.
   */
  stack(mode: StackMode): Promise<StackView>;
  /** One domain worker in its own `wrangler dev` on the stack's database, without the gateway in front. */
  directWorkerUrl(service: DomainService, mode?: StackMode): Promise<string>;
  /**
   * The plain Node + pg peer (peer/) on the same database, trusting the tokens of the stack in
   * this mode; its CPU groups are its own process group and PostgreSQL.
   */
  nodePeer(mode: StackMode): Promise<{ readonly url: string; cpuGroups(): CpuGroup[] }>;
  /** A worker that does nothing (fixtures/floor-worker.ts) in its own `wrangler dev`: the dev server's own cost. */
  floorWorkerUrl(): Promise<string>;
  /** The real SMTP server (tools/test-mailbox) the stack's notifications worker sends to, started with the stack. */
  mailbox(): Promise<TestMailbox>;
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
  let mailbox: Promise<TestMailbox> | undefined;
  let productionShaped: Promise<{ running: Stack; entryUrl: string }> | undefined;
  const lone = new Map<string, Promise<LoneWorker>>();
  const peers = new Map<StackMode, Promise<NodePeer>>();
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
      // Mail goes to a real local SMTP server, as under `npm start` (the notifications scenario measures it).
      mailbox ??= startTestMailbox();
      const running = await startStack({
        gatewayPort: await freePort(),
        postgresPort: await freePort(),
        proxyPort: await freePort(),
        inspectorPort: await freePort(),
        dataDir: folder(),
        seed: true,
        mail: { host: "127.0.0.1", port: (await mailbox).smtpPort },
        say: (message) => say(`  ${message}`),
      });
      wranglerPids.add(running.wranglerPid);
      say(`Platform up at ${running.gatewayUrl} (${((performance.now() - started) / 1000).toFixed(1)} s).`);
      return running;
    })();
    return stack;
  };

  const startedProductionShaped = () => {
    if (stopping) return Promise.reject(new Error("The bench is stopping."));
    productionShaped ??= (async () => {
      const shared = await startedStack();
      say("Starting the production-shaped platform (every worker again, output discarded, same PostgreSQL) …");
      const started = performance.now();
      const dataDir = join(folder(), "production-shaped");
      mkdirSync(dataDir, { recursive: true });
      const running = await startStack({
        gatewayPort: await freePort(),
        postgresPort: await freePort(),
        proxyPort: await freePort(),
        inspectorPort: await freePort(),
        dataDir,
        databaseUrl: shared.databaseUrl,
        seed: false,
        discardWorkerStdout: true,
        say: (message) => say(`  ${message}`),
      });
      wranglerPids.add(running.wranglerPid);
      let entryUrl: string;
      try {
        entryUrl = await userWorkerdEntryUrl(running.wranglerPid, answersLikeTheWorkers);
      } catch (error) {
        await running.stop();
        wranglerPids.delete(running.wranglerPid);
        throw error;
      }
      say(
        `Production-shaped platform up at ${entryUrl} (wrangler's own front door: ${running.gatewayUrl}; ` +
          `${((performance.now() - started) / 1000).toFixed(1)} s).`,
      );
      return { running, entryUrl };
    })();
    return productionShaped;
  };

  const postmasterPid = () => {
    // PostgreSQL writes its pid in the first line; the production-shaped stack uses the same server.
    const pid = Number(readFileSync(join(folder(), "postgres", "postmaster.pid"), "utf8").split("\n")[0]);
    if (!Number.isInteger(pid) || pid <= 0) throw new Error("The stack's PostgreSQL has no postmaster.pid.");
    return pid;
  };

  const viewOf = (mode: StackMode, running: Stack, gatewayUrl: string): StackView => ({
    mode,
    gatewayUrl,
    databaseUrl: running.databaseUrl,
    cpuGroups: () => stackCpuGroups(running.wranglerPid, postmasterPid()),
  });

  const platformView = async (mode: StackMode): Promise<StackView> => {
    if (mode === "dev-server") {
      const running = await startedStack();
      return viewOf(mode, running, running.gatewayUrl);
    }
    const { running } = await startedProductionShaped();
    // Looked up again each time: wrangler dev restarts that workerd, on another port, when a source file changes.
    return viewOf(mode, running, await userWorkerdEntryUrl(running.wranglerPid, answersLikeTheWorkers));
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
    mailbox: async () => {
      await startedStack();
      if (!mailbox) throw new Error("The stack started without its mailbox.");
      return mailbox;
    },
    databaseUrl: async () => (await startedStack()).databaseUrl,
    metricsToken: async () => (await startedStack()).metricsToken,
    stack: (mode) => platformView(mode),
    directWorkerUrl: (service, mode = "dev-server") =>
      loneWorker(`direct-${service}-${mode}`, async () => {
        const running = mode === "dev-server" ? await startedStack() : (await startedProductionShaped()).running;
        const suffix = mode === "dev-server" ? service : `${service}-production-shaped`;
        say(
          `Starting the ${service} worker on its own (wrangler dev${mode === "dev-server" ? "" : ", production-shaped"}) …`,
        );
        const lone = await startLoneWorker({
          config: workerConfig(service),
          name: `bench-direct-${suffix}`,
          vars: { DATABASE_URL: running.databaseUrl, NEON_WS_PROXY: `127.0.0.1:${running.proxyPort}` },
          runDir: join(folder(), "run", `direct-${suffix}`),
          persistTo: join(folder(), `wrangler-direct-${suffix}`),
          logFile: join(running.logDir, `wrangler-direct-${suffix}.log`),
          registryPath: running.registryPath,
          discardWorkerStdout: mode === "production-shaped",
        });
        if (mode === "dev-server") return lone;
        try {
          return { ...lone, url: await userWorkerdEntryUrl(lone.pid, answersLikeTheWorkers) };
        } catch (error) {
          await lone.stop();
          throw error;
        }
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
    nodePeer: async (mode) => {
      if (stopping) throw new Error("The bench is stopping.");
      let peer = peers.get(mode);
      if (!peer) {
        peer = (async () => {
          const view = await platformView(mode);
          say(`Starting the Node peer (Hono on Node, a pg pool of 10) for the ${mode} stack …`);
          const started = await startNodePeer(view.databaseUrl, view.gatewayUrl);
          wranglerPids.add(started.pid); // its own process group, killed with the others on a signal
          return started;
        })();
        peers.set(mode, peer);
      }
      const started = await peer;
      return {
        url: started.url,
        cpuGroups: () => [processGroup("Node peer", started.pid), processTree("PostgreSQL", postmasterPid())],
      };
    },
    stop: () =>
      (stopping ??= (async () => {
        for (const result of await Promise.allSettled(peers.values())) {
          if (result.status !== "fulfilled") continue;
          await result.value.stop();
          wranglerPids.delete(result.value.pid);
        }
        // Stopped groups leave the set, so a late killNow never signals a reused process id.
        const settled = await Promise.allSettled(lone.values());
        for (const result of settled) {
          if (result.status !== "fulfilled") continue;
          await result.value.stop();
          wranglerPids.delete(result.value.pid);
        }
        // The production-shaped stack first: it uses the other's PostgreSQL.
        const shaped = await productionShaped?.catch(() => undefined);
        await shaped?.running.stop();
        if (shaped) wranglerPids.delete(shaped.running.wranglerPid);
        const running = await stack?.catch(() => undefined);
        await running?.stop();
        if (running) wranglerPids.delete(running.wranglerPid);
        await (await mailbox?.catch(() => undefined))?.stop();
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

/** A path every worker of the platform answers with its own 404 problem, and nothing else would. */
const PROBE_PATH = "/api/courses/bench/not-found";

/** Tells the workers' entry socket from workerd's inspector and debug sockets. */
async function answersLikeTheWorkers(baseUrl: string): Promise<boolean> {
  const response = await fetch(new URL(PROBE_PATH, baseUrl), { signal: AbortSignal.timeout(5_000) });
  await response.arrayBuffer();
  return response.status === 404 && (response.headers.get("content-type") ?? "").includes("problem+json");
}

/**
 * Who works for a request, as /proc sees it: wrangler dev's process group split by role (the
 * workerd that runs the workers, the workerd of its proxy worker, and Node: wrangler, Miniflare,
 * esbuild), the bench's own process (it hosts the dev stack's Neon proxy and reads wrangler's
 * output into the log file; loads whose CPU is measured run in a child process of their own),
 * and PostgreSQL (the postmaster and every backend, those that exited included).
 */
function stackCpuGroups(wranglerPid: number, postmasterPid: number): CpuGroup[] {
  const runsWorkers = (pid: number) => readCommandLine(pid).includes("--socket-addr=entry=127.0.0.1:0");
  return [
    processGroup("workerd (workers)", wranglerPid, (p) => p.comm === "workerd" && runsWorkers(p.pid)),
    processGroup("workerd (wrangler's proxy worker)", wranglerPid, (p) => p.comm === "workerd" && !runsWorkers(p.pid)),
    processGroup("wrangler (Node)", wranglerPid, (p) => p.comm !== "workerd"),
    singleProcess("bench process (Neon proxy)", process.pid),
    processTree("PostgreSQL", postmasterPid),
  ];
}
