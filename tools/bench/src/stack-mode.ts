/**
 * How the workers are run for a measurement.
 *
 * - `dev-server`: as `npm start` runs them, through `wrangler dev`'s front door: its proxy worker
 *   (a second workerd, a Durable Object and a loopback fetch per request, plus a request log
 *   line sent to Node), and every console.log line of every worker relayed through wrangler's
 *   Node process into the stack's log file.
 * - `production-shaped`: the same workers, bindings, KV, Durable Objects and database, with
 *   requests sent straight to the entry socket of the workerd that runs them, and workerd's
 *   stdout discarded (the log lines are still written, then dropped by the kernel). What is left
 *   is the platform's own work, as far as one machine can show it.
 */
export type StackMode = "dev-server" | "production-shaped";

export const STACK_MODES: readonly StackMode[] = ["dev-server", "production-shaped"];

/** Scenario names carry the mode, so the two never share a row id: `read-path` and `read-path-production-shaped`. */
export function scenarioName(base: string, mode: StackMode): string {
  return mode === "dev-server" ? base : `${base}-production-shaped`;
}
