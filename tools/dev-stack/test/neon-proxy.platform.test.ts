import { Pool, neonConfig } from "@neondatabase/serverless";
import { describe, expect, inject, it } from "vitest";
import { WebSocket } from "ws";

const databaseUrl = inject("databaseUrl");
const proxyPort = inject("proxyPort");

/** The same driver settings the workers use locally (packages/db/src/client.ts), here from Node. */
function localPool(): Pool {
  neonConfig.wsProxy = (host, port) => `127.0.0.1:${proxyPort}/v2?address=${host}:${port}`;
  neonConfig.useSecureWebSocket = false;
  neonConfig.pipelineTLS = false;
  neonConfig.pipelineConnect = false;
  const pool = new Pool({ connectionString: databaseUrl });
  pool.on("error", () => {});
  return pool;
}

describe("the local Neon WebSocket proxy", () => {
  it("carries the Neon driver to PostgreSQL, including an interactive transaction that rolls back", async () => {
    const pool = localPool();
    try {
      const { rows } = await pool.query<{ answer: number }>("select 6 * 7 as answer");
      expect(rows[0]?.answer).toBe(42);

      const count = async () =>
        (await pool.query<{ n: number }>("select count(*)::int as n from payments.outbox")).rows[0]?.n;
      const before = await count();
      const client = await pool.connect();
      try {
        await client.query("begin");
        await client.query(
          `insert into payments.outbox (id, type, topic, aggregate_id, envelope)
           values (gen_random_uuid(), 'TEST', 'payment-events', 'a', '{}')`,
        );
        const inside = (await client.query<{ n: number }>("select count(*)::int as n from payments.outbox")).rows[0]?.n;
        expect(inside).toBe((before ?? 0) + 1);
        await client.query("rollback");
      } finally {
        client.release();
      }
      expect(await count()).toBe(before);
    } finally {
      await pool.end();
    }
  });

  it("refuses to connect anywhere but the one database it serves (no open relay)", async () => {
    const socket = new WebSocket(`ws://127.0.0.1:${proxyPort}/v2?address=127.0.0.1:22`);
    const code = await new Promise<number>((resolve, reject) => {
      socket.once("close", (closeCode) => resolve(closeCode));
      socket.once("error", reject);
    });
    expect(code).toBe(1008);
  });
});
