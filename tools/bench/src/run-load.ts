import { Worker } from "node:worker_threads";
import type { LoadPlan, LoadThreadMessage, RawLoadResult } from "./load-types.ts";

const running = new Set<Worker>();

/** Runs one load in its own thread (load-thread.ts): paced at the plan's rate, or flat out with autocannon. */
export function runLoad(plan: LoadPlan): Promise<RawLoadResult> {
  return new Promise<RawLoadResult>((resolve, reject) => {
    const worker = new Worker(new URL("./load-thread.ts", import.meta.url), { workerData: plan });
    running.add(worker);
    let settled = false;
    const settle = (action: () => void) => {
      if (settled) return;
      settled = true;
      running.delete(worker);
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

/** For shutdown on a signal: end any load that is still running. */
export async function stopAllLoads(): Promise<void> {
  await Promise.all([...running].map((worker) => worker.terminate()));
}
