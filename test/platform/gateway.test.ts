import { readFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { describe, expect, inject, it, vi } from "vitest";
import { DOMAIN_SERVICES, type PlatformHealth } from "@platform/contracts";
import type { ProblemDetails } from "@platform/http-kit";
import { GOOD_PASSWORD, api, uniqueEmail } from "../support/api.ts";
import { db as supportDb } from "../support/database.ts";
import { admin as adminPerson, learner } from "../support/people.ts";

const gatewayUrl = inject("gatewayUrl");
const databaseUrl = inject("databaseUrl");
const logDir = inject("logDir");

const wranglerLog = () => readFileSync(join(logDir, `wrangler-${new URL(gatewayUrl).port}.log`), "utf8");

const linesWith = (needle: string) =>
  wranglerLog()
    .split("\n")
    .filter((line) => line.includes(needle));

/**
 * Log lines are flushed asynchronously by wrangler; wait briefly (bounded) for the ones we expect,
 * then answer what is there: the caller's assertions say what was missing.
 */
async function logLinesWith(needle: string, atLeast: number): Promise<string[]> {
  await vi
    .waitFor(
      () => {
        if (linesWith(needle).length < atLeast) throw new Error(`fewer than ${atLeast} lines with ${needle}`);
      },
      { timeout: 5_000, interval: 100 },
    )
    .catch(() => {});
  return linesWith(needle);
}

function jsonPart(line: string): Record<string, unknown> {
  return JSON.parse(line.slice(line.indexOf("{"))) as Record<string, unknown>;
}

describe("GET /api/health through the real stack", () => {
  it("reports every worker, the site and every schema healthy, reached through the Neon driver", async () => {
    const response = await fetch(`${gatewayUrl}/api/health`);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const health = (await response.json()) as PlatformHealth;
    expect(health.status).toBe("pass");
    expect(Object.keys(health.services).sort()).toEqual([...DOMAIN_SERVICES].sort());
    for (const service of DOMAIN_SERVICES) {
      expect(health.services[service]?.status, service).toBe("pass");
      expect(health.database.schemas[service], service).toBe("pass");
    }
    expect(health.database.status).toBe("pass");
    expect(health.site.status).toBe("pass");
  });

  it("reports the database failed (503, named schemas) while PostgreSQL refuses connections, and recovers", async () => {
    // Signed in before the outage: signing in needs the database.
    const operator = await adminPerson("health-admin");
    const unwrittenEmail = uniqueEmail("outage-registration");
    // That left an idle connection in the support pool, which the outage below terminates on purpose.
    supportDb.on("error", () => {});
    const admin = new pg.Client({ connectionString: databaseUrl.replace(/\/platform$/, "/postgres") });
    await admin.connect();
    try {
      await admin.query('alter database "platform" with allow_connections false');
      await admin.query("select pg_terminate_backend(pid) from pg_stat_activity where datname = 'platform'");
      const down = await fetch(`${gatewayUrl}/api/health`);
      expect(down.status).toBe(503);
      const text = await down.text();
      const health = JSON.parse(text) as PlatformHealth;
      expect(health.status).toBe("fail");
      expect(health.database.status).toBe("fail");
      for (const service of DOMAIN_SERVICES) {
        expect(health.database.schemas[service], service).toBe("fail");
        // Anonymous: the statuses, and not a word of what PostgreSQL said.
        expect(health.services[service], service).toEqual({ status: "fail" });
      }
      expect(text).not.toMatch(/database:|accepting connections|platform"/);

      // An admin's token gets the reasons.
      const detailed = await fetch(`${gatewayUrl}/api/health`, {
        headers: { authorization: `Bearer ${operator.token}` },
      });
      expect(detailed.status).toBe(503);
      const details = (await detailed.json()) as PlatformHealth;
      for (const service of DOMAIN_SERVICES) {
        expect(details.services[service]?.error, service).toMatch(/^database: .*not currently accepting connections/s);
        expect(details.services[service]?.latencyMs, service).toEqual(expect.any(Number));
      }

      // A write in workerd meanwhile (anonymous, so no token check stands in front of the worker):
      // 503 with Retry-After from the auth worker, not a 500, and nothing written (checked below).
      const write = await api<ProblemDetails>("POST", "/api/auth/register", {
        body: { email: unwrittenEmail, password: GOOD_PASSWORD, name: "Written During The Outage" },
      });
      expect(write.status).toBe(503);
      expect(write.headers.get("content-type")).toBe("application/problem+json");
      expect(Number(write.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(write.body.detail).toMatch(/database/);
    } finally {
      await admin.query('alter database "platform" with allow_connections true');
      await admin.end();
    }
    const up = await fetch(`${gatewayUrl}/api/health`);
    expect(up.status).toBe(200);
    const { rows } = await supportDb.query("select 1 from auth.accounts where email = $1", [unwrittenEmail]);
    expect(rows).toEqual([]);
  });

  it("gives details to admins only: a learner's token gets the statuses, as an anonymous caller does", async () => {
    const someone = await learner("health-learner");
    const response = await fetch(`${gatewayUrl}/api/health`, {
      headers: { authorization: `Bearer ${someone.token}` },
    });
    expect(response.status).toBe(200);
    const health = (await response.json()) as PlatformHealth;
    for (const service of DOMAIN_SERVICES) expect(health.services[service], service).toEqual({ status: "pass" });
  });
});

describe("routing", () => {
  it("forwards /api/<domain>/* to that domain's worker, whose problem+json comes back unchanged", async () => {
    const response = await fetch(`${gatewayUrl}/api/courses/no/such/route`, {
      headers: { "x-correlation-id": "route-test-1" },
    });
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    const body = await response.json();
    expect(body).toMatchObject({
      type: "/problems/not-found",
      instance: "/api/courses/no/such/route",
      correlationId: "route-test-1",
    });
    // The 404 was produced by the courses worker, not the gateway: its own log line says so.
    const lines = await logLinesWith("route-test-1", 2);
    const services = lines.map((line) => jsonPart(line).service);
    expect(services).toContain("courses");
    expect(services).toContain("gateway");
  });

  it("answers an unknown API area with a 404 problem from the gateway", async () => {
    const response = await fetch(`${gatewayUrl}/api/teleport/now`, { method: "POST" });
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(await response.json()).toMatchObject({
      status: 404,
      detail: "No API is served under /api/teleport.",
      instance: "/api/teleport/now",
    });
  });

  it("does not expose a domain worker's internal health route through the gateway", async () => {
    const response = await fetch(`${gatewayUrl}/api/auth/health`);
    expect(response.status).toBe(404);
  });

  it("serves the site for everything outside /api", async () => {
    const response = await fetch(`${gatewayUrl}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/html");
    expect(await response.text()).toContain("<html");
    expect(response.headers.get("x-correlation-id")).toBeTruthy();
  });
});

describe("correlation id across the gateway and a domain worker", () => {
  it("returns the caller's id and writes it in one JSON log line per worker", async () => {
    const id = `corr-${Date.now()}`;
    const response = await fetch(`${gatewayUrl}/api/users/anything`, { headers: { "x-correlation-id": id } });
    expect(response.headers.get("x-correlation-id")).toBe(id);
    await response.body?.cancel();
    const lines = await logLinesWith(id, 2);
    const records = lines.map(jsonPart);
    expect(records.filter((record) => record.service === "gateway")).toHaveLength(1);
    expect(records.filter((record) => record.service === "users")).toHaveLength(1);
    for (const record of records) {
      expect(record).toMatchObject({ msg: "request", path: "/api/users/anything", correlationId: id });
    }
  });

  it("creates an id when none is sent and passes the same one to the domain worker", async () => {
    const response = await fetch(`${gatewayUrl}/api/progress/x`);
    const id = response.headers.get("x-correlation-id") ?? "";
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect((await response.json()).correlationId).toBe(id);
    const lines = await logLinesWith(id, 2);
    expect(lines.map((line) => jsonPart(line).service).sort()).toEqual(["gateway", "progress"]);
  });
});
