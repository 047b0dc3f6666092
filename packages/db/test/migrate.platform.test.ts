import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { DOMAIN_SERVICES } from "@platform/contracts";
import { MIGRATION_SETS } from "@platform/dev-stack";
import { migrateAll } from "../src/migrate.ts";

const serverUrl = inject("databaseUrl");
const databaseName = `migrate_test_${process.pid}_${Date.now()}`;
const freshUrl = serverUrl.replace(/\/[^/]+$/, `/${databaseName}`);

async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl.replace(/\/[^/]+$/, "/postgres") });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

beforeAll(() => withAdmin((client) => client.query(`create database "${databaseName}"`)));
afterAll(() => withAdmin((client) => client.query(`drop database if exists "${databaseName}" with (force)`)));

describe("migrating every service", () => {
  it("three concurrent runs on an empty database all succeed and apply each migration once", async () => {
    const runs = await Promise.all([1, 2, 3].map(() => migrateAll(freshUrl, MIGRATION_SETS)));
    for (const results of runs) {
      expect(results.map((result) => result.schema)).toEqual([...DOMAIN_SERVICES]);
      for (const result of results) expect(result.applied).toBeGreaterThan(0);
    }
    expect(runs[1]).toEqual(runs[0]);
  });

  it("keeps each service's history in its own schema, not in a shared table", async () => {
    const client = new pg.Client({ connectionString: freshUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ table_schema: string }>(
        "select table_schema from information_schema.tables where table_name = '__drizzle_migrations' order by 1",
      );
      expect(rows.map((row) => row.table_schema)).toEqual([...DOMAIN_SERVICES].sort());
    } finally {
      await client.end();
    }
  });

  it("is idempotent: running again applies nothing new", async () => {
    const before = await migrateAll(freshUrl, MIGRATION_SETS);
    const after = await migrateAll(freshUrl, MIGRATION_SETS);
    expect(after).toEqual(before);
  });
});
