import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const BRIDGE_BIN = fileURLToPath(new URL("../../bin/bridge.ts", import.meta.url));

export interface BridgeProcess {
  readonly child: ChildProcess;
  /** Resolves with how the process ended. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Everything it printed (JSON log lines), parsed where they parse. */
  logLines(): Record<string, unknown>[];
}

/** `node packages/kafka-bridge/bin/bridge.ts` as a real child process, its output appended to `logFile`. */
export function spawnBridge(env: Record<string, string>, logFile: string): BridgeProcess {
  const log = createWriteStream(logFile, { flags: "a" });
  const child = spawn(process.execPath, [BRIDGE_BIN], {
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once("exit", (code, signal) => {
      // Let the pipes drain into the file before anyone reads it.
      setTimeout(() => resolve({ code, signal }), 50);
    });
  });
  return {
    child,
    exited,
    logLines: () =>
      readFileSync(logFile, "utf8")
        .split("\n")
        .filter(Boolean)
        .flatMap((line) => {
          try {
            return [JSON.parse(line) as Record<string, unknown>];
          } catch {
            return [];
          }
        }),
  };
}

/** For afterAll: whatever is still running is killed. */
export function killIfRunning(bridge: BridgeProcess | undefined): void {
  if (bridge && bridge.child.exitCode === null && bridge.child.signalCode === null) bridge.child.kill("SIGKILL");
}
