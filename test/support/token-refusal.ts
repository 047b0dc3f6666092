import { expect } from "vitest";
import { api } from "./api.ts";

/** A signed-in route that changes nothing: 200 while the token is accepted, 401 once refused. */
export const probeToken = (token: string) => api("GET", "/api/payments/me", { token });

/**
 * Polls until the gateway refuses `token` (401), within 5 s — a bound, not a timing assertion —
 * and resolves to how long after `since` (a `performance.now()`) the first refusal came, for the
 * test to report.
 */
export async function msUntilRefused(token: string, since: number): Promise<number> {
  let refusedAt = 0;
  await expect
    .poll(
      async () => {
        const status = (await probeToken(token)).status;
        if (status === 401 && refusedAt === 0) refusedAt = performance.now();
        return status;
      },
      { timeout: 5_000, interval: 50 },
    )
    .toBe(401);
  return Math.round(refusedAt - since);
}
