import { Client, NeonDbError, neon, neonConfig, type FullQueryResults } from "@neondatabase/serverless";
import { sql } from "drizzle-orm";
import { pgSchema, text } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { isDatabaseUnavailable, openDatabase } from "@platform/db";
import { freePort, setProxyDatabaseState, startWsProxy, targetOf, type WsProxy } from "@platform/dev-stack";

/**
 * The dev stack's stand-in for Neon's SQL-over-HTTP endpoint, checked the way the Neon driver's own
 * tests check Neon's (tests/cli/http.test.ts: "http query results match WebSocket query results"):
 * the same queries through `neon()` over HTTP and through a WebSocket session give equal results,
 * field by field. Then batches, PostgreSQL's refusals, bad requests, and an unreachable database.
 */

const databaseUrl = inject("routesDatabaseUrl");
let proxy: WsProxy;
let address: string;

beforeAll(async () => {
  // A proxy of this file's own, with the test switch (the routes project's shared one has none).
  proxy = await startWsProxy({ port: await freePort(), target: targetOf(databaseUrl), control: true });
  address = `127.0.0.1:${proxy.port}`;
  neonConfig.fetchEndpoint = () => `http://${address}/sql`;
  neonConfig.wsProxy = (host, port) => `${address}/v2?address=${host}:${port}`;
  neonConfig.useSecureWebSocket = false;
  neonConfig.pipelineTLS = false;
  neonConfig.pipelineConnect = false;
});
afterAll(async () => {
  await proxy?.close();
});

const now = new Date("2026-11-30T12:34:56.789Z");
type Query = ReturnType<ReturnType<typeof neon<false, true>>["query"]>;
const sampleQueries = (sql: ReturnType<typeof neon<false, true>>): Query[] => [
  sql.query("select $1::int as int, $2::int8 as int8, $3::numeric as numeric", [-1, "9007199254740993", "1.50"]),
  sql.query("select $1::real as real, $2::double precision as double", [Math.PI, Math.PI]),
  sql.query("select $1::bool as yes, $2::bool as no, null::bool as unknown", [true, false]),
  sql.query("select $1::text as text, $1 || ' ' || $2 as greeting", ["héllo ✓", "world"]),
  sql.query("select $1::uuid as id", ["019ad4f1-7c2e-7b3a-9c1d-2f3e4a5b6c7d"]),
  sql.query("select $1::timestamptz as at, $1::date as day, $1::timestamp as naive", [now]),
  sql.query("select interval '1 day 02:03:04' as span, '17:18:19'::time as time"),
  sql.query("select $1::jsonb as jsonb, $1::json as json", [{ x: "y", n: [1, 2] }]),
  sql.query("select $1::text[] as texts, $2::int[] as ints, $3::uuid[] as ids", [
    ["a", "b,c", 'd"e'],
    [1, 2, 3],
    ["019ad4f1-7c2e-7b3a-9c1d-2f3e4a5b6c7d"],
  ]),
  sql.query("select $1::bytea as bytes", [new Uint8Array([0, 65, 255])]),
  sql.query("select null as nothing, $1::text as also_nothing", [null]),
  sql.query("select generate_series(1, 3) as n, 'row ' || generate_series(1, 3) as label"),
  sql.query("select 1 as n where false"),
  sql.query("select table_name, column_name from information_schema.columns where table_schema = 'users' limit 3"),
];

describe("SQL over HTTP against a WebSocket session", () => {
  it("gives the same results, field by field, as the driver's own test asks of Neon", async () => {
    const overHttp = neon(databaseUrl, { fullResults: true });
    const session = new Client({ connectionString: databaseUrl });
    await session.connect();
    try {
      for (const pending of sampleQueries(overHttp)) {
        const { query, params } = pending.queryData as { query: string; params: unknown[] };
        const [httpResult, wsResult] = await Promise.all([pending, session.query(query, params)]);
        // The differences the driver's test accepts: plain objects, no `oid`/`RowCtor`, `viaNeonFetch`.
        expect({ ...httpResult, oid: null, RowCtor: null }, query).toStrictEqual({
          ...wsResult,
          fields: wsResult.fields.map((field) => ({ ...field })),
          viaNeonFetch: true,
        });
      }
    } finally {
      await session.end();
    }
  });

  it("answers in object mode as well as array mode", async () => {
    const objects = neon(databaseUrl);
    const arrays = neon(databaseUrl, { arrayMode: true });
    expect(await objects.query("select 1::int as one, 'two' as two")).toEqual([{ one: 1, two: "two" }]);
    expect(await arrays.query("select 1::int as one, 'two' as two")).toEqual([[1, "two"]]);
  });
});

describe("batches (non-interactive transactions)", () => {
  const table = `scratch_batch_${Date.now()}`;
  beforeAll(async () => {
    await neon(databaseUrl).query(`create table public.${table} (id int primary key, label text not null)`);
  });
  afterAll(async () => {
    await neon(databaseUrl).query(`drop table if exists public.${table}`);
  });

  it("runs every statement in one transaction and answers each one's rows", async () => {
    const overHttp = neon(databaseUrl);
    const [inserted, counted] = await overHttp.transaction([
      overHttp.query(`insert into public.${table} values (1, 'one'), (2, 'two') returning id`),
      overHttp.query(`select count(*)::int as n from public.${table}`),
    ]);
    expect(inserted).toEqual([{ id: 1 }, { id: 2 }]);
    expect(counted).toEqual([{ n: 2 }]);
  });

  it("rolls the whole batch back when one statement fails", async () => {
    const overHttp = neon(databaseUrl);
    const failing = overHttp.transaction([
      overHttp.query(`insert into public.${table} values (3, 'three')`),
      overHttp.query(`insert into public.${table} values (1, 'duplicate')`),
    ]);
    await expect(failing).rejects.toMatchObject({ name: "NeonDbError", code: "23505" });
    expect(await overHttp.query(`select id from public.${table} where id = 3`)).toEqual([]);
  });

  it("counts the rows a write touched, as node-postgres does", async () => {
    const result = (await neon(databaseUrl, { fullResults: true }).query(
      `update public.${table} set label = upper(label) where id in (1, 2, 99)`,
    )) as FullQueryResults<false>;
    expect(result).toMatchObject({ command: "UPDATE", rowCount: 2, rows: [] });
  });

  it("honours the isolation level and read-only mode the driver asks for", async () => {
    const overHttp = neon(databaseUrl);
    const [[level]] = (await overHttp.transaction([overHttp.query("show transaction_isolation")], {
      isolationLevel: "Serializable",
      readOnly: true,
    })) as [[{ transaction_isolation: string }]];
    expect(level?.transaction_isolation).toBe("serializable");
    const write = overHttp.transaction([overHttp.query(`insert into public.${table} values (9, 'nine')`)], {
      readOnly: true,
    });
    await expect(write).rejects.toMatchObject({ code: "25006" }); // read_only_sql_transaction
  });
});

describe("what PostgreSQL refuses comes back as the driver's NeonDbError, with the server's fields", () => {
  it("a unique violation names its constraint and table", async () => {
    const overHttp = neon(databaseUrl);
    const id = "019ad4f1-0000-7000-8000-000000000001";
    await overHttp.query(
      "insert into users.profiles (user_id, name, email) values ($1, 'A', 'a@example.com') on conflict do nothing",
      [id],
    );
    const error = await overHttp
      .query("insert into users.profiles (user_id, name, email) values ($1, 'B', 'b@example.com')", [id])
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NeonDbError);
    expect(error).toMatchObject({ code: "23505", table: "profiles", schema: "users", severity: "ERROR" });
    expect((error as NeonDbError).constraint).toMatch(/pkey/);
  });

  it("a syntax error carries its position; two statements in one query are refused (extended protocol, as on Neon)", async () => {
    const overHttp = neon(databaseUrl);
    await expect(overHttp.query("selec 1")).rejects.toMatchObject({ code: "42601", position: "1" });
    await expect(overHttp.query("select 1; select 2")).rejects.toMatchObject({ code: "42601" });
  });

  it("a wrong password is PostgreSQL's answer too (28P01), not an outage", async () => {
    const wrong = new URL(databaseUrl);
    wrong.password = "not-the-password";
    const error = await neon(wrong.toString())
      .query("select 1")
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: "28P01" });
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});

describe("requests that are not the protocol get a 400 with a reason, and touch nothing", () => {
  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(`http://${address}/sql`, {
      method: "POST",
      body,
      headers: { "Neon-Connection-String": databaseUrl, "Neon-Raw-Text-Output": "true", ...headers },
    });

  it.each([
    ["not JSON", "{", {}],
    ["no query", JSON.stringify({ params: [] }), {}],
    ["params that are not strings or nulls", JSON.stringify({ query: "select $1", params: [{ x: 1 }] }), {}],
    ["queries that are not an array", JSON.stringify({ queries: "select 1" }), {}],
    ["no connection string", JSON.stringify({ query: "select 1" }), { "Neon-Connection-String": "" }],
    ["a connection string that is not one", JSON.stringify({ query: "select 1" }), { "Neon-Connection-String": "x" }],
    ["typed (not raw text) output", JSON.stringify({ query: "select 1" }), { "Neon-Raw-Text-Output": "false" }],
    [
      "an isolation level PostgreSQL has not",
      JSON.stringify({ queries: [{ query: "select 1", params: [] }] }),
      { "Neon-Batch-Isolation-Level": "Chaos" },
    ],
  ])("%s", async (_, body, headers) => {
    const response = await post(body, headers);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toMatch(/\w/);
  });

  it("a GET is 405", async () => {
    const response = await fetch(`http://${address}/sql`);
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST");
  });
});

describe("the workers' database handle on this path", () => {
  const schema = { users: pgSchema("users") };
  const profiles = schema.users.table("profiles", { userId: text("user_id") });

  it("reads over HTTP open no session; a transaction opens exactly one, however many statements it sends", async () => {
    const handle = openDatabase({ DATABASE_URL: databaseUrl, NEON_WS_PROXY: address }, schema);
    try {
      await handle.db.select().from(profiles).limit(1);
      await Promise.all([handle.db.execute(sql`select 1`), handle.db.execute(sql`select 2`)]);
      expect(handle.usage()).toEqual({ queries: 3, sessions: 0 });
      await handle.db.transaction(async (tx) => {
        await tx.execute(sql`select 1`);
        await tx.execute(sql`select 2`);
      });
      // begin, two statements, commit: on one session.
      expect(handle.usage()).toEqual({ queries: 7, sessions: 1 });
    } finally {
      await handle.close();
    }
  });

  it("a pool whose queries leave the HTTP path (a listener other than error) still answers, and counts its session", async () => {
    const handle = openDatabase({ DATABASE_URL: databaseUrl, NEON_WS_PROXY: address }, schema);
    try {
      // The driver sends a pool's queries over HTTP only while nothing but `error` is listened to.
      handle.pool.on("acquire", () => {});
      const result = await handle.db.execute(sql`select 41 + 1 as answer`);
      expect(result.rows).toEqual([{ answer: 42 }]);
      expect(handle.usage()).toEqual({ queries: 1, sessions: 1 });
    } finally {
      await handle.close();
    }
  });

  it("a database switched down is an outage (503 from the endpoint), and so is one that holds every query", async () => {
    const bindings = { DATABASE_URL: databaseUrl, NEON_WS_PROXY: address, DATABASE_QUERY_TIMEOUT_MS: "500" };
    const attempt = async () => {
      const handle = openDatabase(bindings, schema);
      try {
        return await handle.db.execute(sql`select 1`).then(
          () => undefined,
          (error: unknown) => error,
        );
      } finally {
        await handle.close();
      }
    };
    try {
      await setProxyDatabaseState(proxy.port, "down");
      const down = await attempt();
      expect(String((down as { cause?: Error }).cause?.message)).toMatch(/HTTP status 503/);
      expect(isDatabaseUnavailable(down)).toBe(true);
      await setProxyDatabaseState(proxy.port, "hang");
      const held = await attempt();
      expect(String((held as { cause?: Error }).cause?.message)).toMatch(/TimeoutError|aborted/);
      expect(isDatabaseUnavailable(held)).toBe(true);
    } finally {
      await setProxyDatabaseState(proxy.port, "up");
    }
    expect(await attempt()).toBeUndefined();
  });
});
