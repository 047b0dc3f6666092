// Runs one load in a worker thread. The harness's own event loop also hosts the Neon WebSocket
// proxy (part of the stack); generating load there would slow the very database path measured.
import { parentPort, workerData } from "node:worker_threads";
import { autocannonLoad } from "./autocannon-load.ts";
import type { LoadPlan, LoadThreadMessage } from "./load-types.ts";
import { pacedLoad } from "./paced-load.ts";

const plan = workerData as LoadPlan;
const post = (message: LoadThreadMessage) => parentPort?.postMessage(message);

try {
  const result = plan.rate ? await pacedLoad({ ...plan, rate: plan.rate }) : await autocannonLoad(plan);
  post({ ok: true, result });
} catch (error) {
  post({ ok: false, error: error instanceof Error ? error.message : String(error) });
}
