// Runs one load in a child process (run-load.ts, `isolation: "process"`): for loads whose CPU is
// measured from /proc, where the load generator must not share a process with anything counted
// (the bench's own process hosts the dev stack's Neon proxy).
import { autocannonLoad } from "./autocannon-load.ts";
import type { LoadPlan, LoadThreadMessage } from "./load-types.ts";
import { pacedLoad } from "./paced-load.ts";

process.once("message", (plan: LoadPlan) => {
  void (async () => {
    let message: LoadThreadMessage;
    try {
      const result = plan.rate ? await pacedLoad({ ...plan, rate: plan.rate }) : await autocannonLoad(plan);
      message = { ok: true, result };
    } catch (error) {
      message = { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
    process.send?.(message, () => process.exit(0));
  })();
});
