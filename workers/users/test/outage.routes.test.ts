import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import pg from "pg";
import { WebSocketServer, type WebSocket } from "ws";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { sql } from "drizzle-orm";
import { isDatabaseUnavailable, openDatabase } from "@platform/db";
import type { ProblemDetails } from "@platform/http-kit";
import { freePort } from "@platform/dev-stack";
import {
  databaseBindings,
  inProcess,
  principal,
  recordingQueue,
  type Principal,
} from "../../../test/support/in-process.ts";
import { app } from "../src/app.ts";

/**
 * The users routes in-process while PostgreSQL cannot be reached: the Neon driver pointed at a port
 * where nothing listens, at an endpoint that accepts (WebSocket and HTTP) and hangs up at once, and at
 * one that accepts and never answers, and then the real database holding a lock the write needs. Each answers
 * 503 problem+json with `Retry-After` (not 500, not a request held until the platform kills it), and
 * the real database shows nothing was written: the profile as it was, no USER_UPDATED in the outbox.
 */

const db = new pg.Pool({ connectionString: inject("routesDatabaseUrl") });

/** Short, so the timeouts fire well inside the test's own timeout. */
const TIMEOUTS = { DATABASE_CONNECT_TIMEOUT_MS: "1000", DATABASE_QUERY_TIMEOUT_MS: "1500" };

const refusedPort = await freePort();

/**
 * A broken Neon endpoint on both of the driver's paths: it accepts every WebSocket (sessions, for
 * transactions) and every HTTP query (`POST /sql`, reads), and then either never answers or hangs up.
 */
async function brokenNeon(behaviour: "silent" | "hangs-up") {
  const http = createServer((request) => {
    if (behaviour === "hangs-up") request.socket.destroy();
  });
  const server = new WebSocketServer({ server: http });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  server.on("connection", (socket: WebSocket) => {
    if (behaviour === "hangs-up") socket.close();
  });
  return {
    address: `127.0.0.1:${(http.address() as AddressInfo).port}`,
    close: () => {
      for (const client of server.clients) client.terminate();
      http.closeAllConnections();
      return new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

const silent = await brokenNeon("silent");
const hangsUp = await brokenNeon("hangs-up");
afterAll(async () => {
  await silent.close();
  await hangsUp.close();
  await db.end();
});

async function person(): Promise<Principal> {
  const someone = principal("learner");
  await db.query("insert into users.profiles (user_id, name, email) values ($1, $2, $3)", [
    someone.userId,
    "Olga Outage",
    `olga-${someone.userId}@example.com`,
  ]);
  return someone;
}

async function storedState(userId: string) {
  const profile = await db.query<{ name: string }>("select name from users.profiles where user_id = $1", [userId]);
  const outbox = await db.query<{ n: number }>("select count(*)::int as n from users.outbox where aggregate_id = $1", [
    userId,
  ]);
  return { name: profile.rows[0]?.name, outboxRows: outbox.rows[0]?.n };
}

function expectUnavailable(response: { status: number; headers: Headers; body: unknown }) {
  expect(response.status).toBe(503);
  expect(response.headers.get("content-type")).toBe("application/problem+json");
  expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
  expect(response.body as ProblemDetails).toMatchObject({ type: "/problems/service-unavailable", status: 503 });
}

describe.each([
  ["refuses connections (nothing listens)", () => `127.0.0.1:${refusedPort}`],
  ["accepts and hangs up at once", () => hangsUp.address],
  ["accepts and never answers", () => silent.address],
])("while the database %s", (_, proxyAddress) => {
  let someone: Principal;
  let users: ReturnType<typeof inProcess>;
  beforeAll(async () => {
    someone = await person();
    users = inProcess(app, { ...TIMEOUTS, NEON_WS_PROXY: proxyAddress(), EVENTS_QUEUE: recordingQueue() });
  });

  it("a write (PATCH /api/users/me) answers 503 with Retry-After and writes nothing", async () => {
    const response = await users.request("PATCH", "/api/users/me", { as: someone, body: { name: "Changed" } });
    expectUnavailable(response);
    expect(await storedState(someone.userId)).toEqual({ name: "Olga Outage", outboxRows: 0 });
  });

  it("a read (GET /api/users/me) answers 503 with Retry-After", async () => {
    expectUnavailable(await users.request("GET", "/api/users/me", { as: someone }));
  });
});

describe("while the database answers the first statement of a write and then hangs", () => {
  it("the write answers 503 and its transaction is rolled back: no profile change, no event", async () => {
    const someone = await person();
    const users = inProcess(app, { ...TIMEOUTS, EVENTS_QUEUE: recordingQueue() });
    // The profile update goes through; the outbox insert after it, in the same transaction, waits
    // for this lock until the query timeout gives up on it.
    const blocker = await db.connect();
    let stranded: number[] = [];
    try {
      await blocker.query("begin");
      await blocker.query("lock table users.outbox in exclusive mode");
      const [response] = await Promise.all([
        users.request("PATCH", "/api/users/me", { as: someone, body: { name: "Half Written" } }),
        // While the request waits: its backend is stuck on the outbox insert, the update done.
        expect
          .poll(
            async () => {
              const { rows } = await db.query<{ pid: number; query: string }>(
                "select pid, query from pg_stat_activity where $1 = any(pg_blocking_pids(pid))",
                [(await blocker.query<{ pid: number }>("select pg_backend_pid() as pid")).rows[0]?.pid],
              );
              stranded = rows.map((row) => row.pid);
              return rows.map((row) => row.query);
            },
            { timeout: 5_000 },
          )
          .toEqual([expect.stringMatching(/^insert into "users"\."outbox"/i)]),
      ]);
      expectUnavailable(response);
    } finally {
      await blocker.query("rollback");
      blocker.release();
    }
    // The request's connection is closed; its backend, let through, finds that out and rolls back.
    await expect
      .poll(async () => (await db.query("select 1 from pg_stat_activity where pid = any($1)", [stranded])).rowCount, {
        timeout: 10_000,
      })
      .toBe(0);
    expect(await storedState(someone.userId)).toEqual({ name: "Olga Outage", outboxRows: 0 });
  });
});

describe("what counts as the database being unavailable, from errors real PostgreSQL raises through the Neon driver", () => {
  async function errorOf(statements: string[]): Promise<unknown> {
    const database = openDatabase(databaseBindings(), {});
    try {
      await database.db.transaction(async (tx) => {
        for (const statement of statements) await tx.execute(sql.raw(statement));
      });
    } catch (error) {
      return error;
    } finally {
      await database.close();
    }
    throw new Error("the statements succeeded");
  }

  it("a statement timeout (57014) and a terminated connection (57P01) are an outage", async () => {
    expect(isDatabaseUnavailable(await errorOf(["set local statement_timeout = 50", "select pg_sleep(2)"]))).toBe(true);
    expect(isDatabaseUnavailable(await errorOf(["select pg_terminate_backend(pg_backend_pid())"]))).toBe(true);
  });

  it("a request's own fault is not: a unique violation, a syntax error, a missing table", async () => {
    expect(
      isDatabaseUnavailable(
        await errorOf([
          "create temp table t (id int primary key)",
          "insert into t values (1)",
          "insert into t values (1)",
        ]),
      ),
    ).toBe(false);
    expect(isDatabaseUnavailable(await errorOf(["selec 1"]))).toBe(false);
    expect(isDatabaseUnavailable(await errorOf(["select * from users.no_such_table"]))).toBe(false);
  });
});
