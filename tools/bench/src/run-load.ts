import { fork, type ChildProcess } from "node:child_process";
import { Worker } from "node:worker_threads";
import type { LoadPlan, LoadThreadMessage, RawLoadResult } from "./load-types.ts";

const runningThreads = new Set<Worker>();
const runningProcesses = new Set<ChildProcess>();

/**
 * Where the load generator runs: in a worker thread of the bench (the default: no start-up, and
 * away from the event loop that hosts the Neon proxy), or in a child process of its own, when the
 * bench's process CPU is being measured and must not include the load generator's.
 */
export type LoadIsolation = "thread" | "process";

/** Runs one load: paced at the plan's rate, or flat out with autocannon. */
export function runLoad(plan: LoadPlan, isolation: LoadIsolation = "thread"): Promise<RawLoadResult> {
  return isolation === "process" ? runInProcess(plan) : runInThread(plan);
}

function runInThread(plan: LoadPlan): Promise<RawLoadResult> {
  return new Promise<RawLoadResult>((resolve, reject) => {
    const worker = new Worker(new URL("./load-thread.ts", import.meta.url), { workerData: plan });
    runningThreads.add(worker);
    let settled = false;
    const settle = (action: () => void) => {
      if (settled) return;
      settled = true;
      runningThreads.delete(worker);
      action();
    };
    worker.once("message", (message: LoadThreadMessage) => {
      settle(() => (message.ok ? resolve(message.result) : reject(new Error(`Load run failed: ${message.error}`))));
      void worker.terminate();
    });
    worker.once("error", (error) => settle(() => reject(error)));
    worker.once("exit", (code) =>
      settle(() => reject(new Error(`The load thread exited (code ${code}) without a result.`))),
    );
  });
}

function runInProcess(plan: LoadPlan): Promise<RawLoadResult> {
  return new Promise<RawLoadResult>((resolve, reject) => {
    // "advanced" serialisation keeps the latencies a Float64Array across the IPC channel.
    const child = fork(new URL("./load-process.ts", import.meta.url), [], {
      serialization: "advanced",
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    runningProcesses.add(child);
    let settled = false;
    const settle = (action: () => void) => {
      if (settled) return;
      settled = true;
      runningProcesses.delete(child);
      action();
    };
    child.once("message", (message: LoadThreadMessage) =>
      settle(() => (message.ok ? resolve(message.result) : reject(new Error(`Load run failed: ${message.error}`)))),
    );
    child.once("error", (error) => settle(() => reject(error)));
    child.once("exit", (code, signal) =>
      settle(() => reject(new Error(`The load process exited (${signal ?? `code ${code}`}) without a result.`))),
    );
    child.send(plan);
  });
}

/** For shutdown on a signal: end any load that is still running. */
export async function stopAllLoads(): Promise<void> {
  for (const child of runningProcesses) child.kill("SIGKILL");
  await Promise.all([...runningThreads].map((worker) => worker.terminate()));
}
