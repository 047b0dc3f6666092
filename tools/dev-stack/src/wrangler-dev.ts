import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream } from "node:fs";
import { dirname, join } from "node:path";
import { REPO_ROOT } from "./paths.ts";
import { discardingWorkerdLauncher } from "./workerd-direct.ts";

// Exported through this module, which the package index already exports.
export { userWorkerdEntryUrl } from "./workerd-direct.ts";

export interface WranglerDev {
  readonly url: string;
  readonly pid: number;
  /** Stops wrangler and the workerd it started (the whole process group). */
  stop(): Promise<void>;
}

export interface WranglerDevOptions {
  readonly configs: readonly string[];
  readonly port: number;
  readonly inspectorPort: number;
  readonly persistTo: string;
  readonly logFile: string;
  /** Also copy wrangler's output here (npm start shows it; tests keep it in the log file only). */
  readonly echo?: (chunk: string) => void;
  readonly readyTimeoutMs?: number;
  /**
   * Wrangler's dev registry (where running workers announce themselves so other local sessions can
   * bind to them). Each stack keeps its own, so two stacks on one machine never cross-wire.
   */
  readonly registryPath: string;
  /**
   * Send workerd's stdout, where every worker's console.log line goes, to /dev/null instead of
   * relaying it through wrangler's Node process and into `logFile` (workerd-direct.ts). For
   * production-shaped measurements: request log lines are then lost, errors (stderr) are kept.
   */
  readonly discardWorkerStdout?: boolean;
  /**
   * The address the gateway listens on: loopback unless asked (`PLATFORM_LISTEN_HOST=0.0.0.0 npm start`, so the
   * compose Prometheus, in a container, can scrape `/metrics` through host.docker.internal).
   */
  readonly listenHost?: string;
}

const WRANGLER_BIN = join(REPO_ROOT, "node_modules", "wrangler", "bin", "wrangler.js");

/**
 * Runs every worker in one `wrangler dev` so service bindings connect in-process. Wrangler runs
 * in its own process group: stopping the group also stops workerd, leaving nothing behind.
 */
export async function startWranglerDev(options: WranglerDevOptions): Promise<WranglerDev> {
  const args = [
    WRANGLER_BIN,
    "dev",
    ...options.configs.flatMap((config) => ["-c", config]),
    "--ip",
    options.listenHost ?? "127.0.0.1",
    "--port",
    String(options.port),
    "--inspector-port",
    String(options.inspectorPort),
    "--persist-to",
    options.persistTo,
    "--show-interactive-dev-session=false",
    // Cron triggers do not fire locally; this lets the stack call the scheduled handler itself.
    "--test-scheduled",
  ];
  const log = createWriteStream(options.logFile, { flags: "a" });
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      // Local runs never phone home: no telemetry, and no lookup of Cloudflare's request.cf data.
      WRANGLER_SEND_METRICS: "false",
      WRANGLER_REGISTRY_PATH: options.registryPath,
      CLOUDFLARE_CF_FETCH_ENABLED: "false",
      FORCE_COLOR: "0",
      NO_COLOR: "1",
      ...(options.discardWorkerStdout
        ? { MINIFLARE_WORKERD_PATH: discardingWorkerdLauncher(join(dirname(options.persistTo), "workerd-launcher")) }
        : {}),
    },
  });
  const url = `http://127.0.0.1:${options.port}`;
  const stop = () => stopGroup(child);

  try {
    await waitUntilReady(child, url, options.readyTimeoutMs ?? 120_000, (chunk) => {
      log.write(chunk);
      options.echo?.(chunk);
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, pid: child.pid ?? -1, stop };
}

function waitUntilReady(
  child: ChildProcess,
  url: string,
  timeoutMs: number,
  onOutput: (chunk: string) => void,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let seen = "";
    const timer = setTimeout(
      () => reject(new Error(`wrangler dev did not become ready within ${timeoutMs / 1000} s; see its log.`)),
      timeoutMs,
    );
    const onChunk = (data: Buffer) => {
      const chunk = data.toString("utf8");
      onOutput(chunk);
      if (seen !== "ready") {
        seen = (seen + chunk).slice(-4096);
        if (seen.includes("Ready on")) {
          seen = "ready";
          clearTimeout(timer);
          resolve();
        }
      }
    };
    child.stdout?.on("data", onChunk);
    child.stderr?.on("data", onChunk);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`wrangler dev exited before it was ready (${signal ?? `code ${code}`}); see its log.`));
    });
    void url;
  });
}

/** SIGTERM to the group, then SIGKILL if it lingers: bounded, so a stuck workerd cannot hang shutdown. */
export function stopGroup(child: ChildProcess, graceMs = 5_000): Promise<void> {
  const pid = child.pid;
  if (pid === undefined || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const kill = (signal: NodeJS.Signals) => {
      try {
        process.kill(-pid, signal);
      } catch {
        // The group is already gone.
      }
    };
    const timer = setTimeout(() => {
      kill("SIGKILL");
      resolve();
    }, graceMs);
    child.once("exit", () => {
      clearTimeout(timer);
      kill("SIGKILL"); // workerd may outlive wrangler by a moment; make sure the group is gone.
      resolve();
    });
    kill("SIGTERM");
  });
}

/** For signal handlers, which cannot wait: end the whole group now. */
export function killGroupNow(pid: number): void {
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // Already gone.
  }
}
