import { afterEach, describe, expect, inject, it } from "vitest";
import type { ProblemDetails } from "@platform/http-kit";
import { setProxyDatabaseState } from "@platform/dev-stack";
import { GOOD_PASSWORD, api, uniqueEmail } from "../support/api.ts";
import { db } from "../support/database.ts";

/**
 * In workerd, through the Neon driver: a database that accepts the connection and never answers
 * (the proxy's `hang` switch) must not hold a request until the platform kills it. The driver's
 * connect timeout gives up and the service kit answers 503 with `Retry-After`; nothing is written.
 * The routes tier (workers/users/test/outage.routes.test.ts) covers more kinds of outage, faster.
 */
const proxyPort = inject("proxyPort");

afterEach(() => setProxyDatabaseState(proxyPort, "up"));

describe("a database that hangs", () => {
  it("a write answers 503 with Retry-After instead of hanging, and writes nothing", async () => {
    const email = uniqueEmail("hang-registration");
    await setProxyDatabaseState(proxyPort, "hang");
    // Anonymous, so no token check stands in front of the auth worker.
    const write = await api<ProblemDetails>("POST", "/api/auth/register", {
      body: { email, password: GOOD_PASSWORD, name: "Written While It Hangs" },
    });
    expect(write.status).toBe(503);
    expect(write.headers.get("content-type")).toBe("application/problem+json");
    expect(Number(write.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(write.body).toMatchObject({
      type: "/problems/service-unavailable",
      detail: expect.stringMatching(/database/),
    });

    await setProxyDatabaseState(proxyPort, "up");
    const { rows } = await db.query("select 1 from auth.accounts where email = $1", [email]);
    expect(rows).toEqual([]);
  });
});
