import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateDrizzleJson, generateMigration, type DrizzleSnapshotJSON } from "drizzle-kit/api";
import { pgSchema, text, uuid } from "drizzle-orm/pg-core";
import { DOMAIN_SERVICES } from "@platform/contracts";
import { migrationsFolder, workerDir } from "@platform/dev-stack";

/** The snapshot drizzle-kit wrote with the newest committed migration of a service. */
function latestSnapshot(service: string): DrizzleSnapshotJSON {
  const folder = migrationsFolder(service as (typeof DOMAIN_SERVICES)[number]);
  const journal = JSON.parse(readFileSync(join(folder, "meta", "_journal.json"), "utf8")) as {
    entries: { idx: number; tag: string }[];
  };
  const last = journal.entries.at(-1);
  if (!last) throw new Error(`${service} has no migrations`);
  const file = join(folder, "meta", `${String(last.idx).padStart(4, "0")}_snapshot.json`);
  return JSON.parse(readFileSync(file, "utf8")) as DrizzleSnapshotJSON;
}

async function pendingStatements(schemaModule: Record<string, unknown>, service: string): Promise<string[]> {
  const committed = latestSnapshot(service);
  const current = generateDrizzleJson(schemaModule, committed.id, [service]);
  return generateMigration(committed, current);
}

describe("schema drift: every schema change comes with a committed migration", () => {
  it.each(DOMAIN_SERVICES)("%s: src/db/schema.ts matches its newest migration", async (service) => {
    const schemaModule = (await import(join(workerDir(service), "src", "db", "schema.ts"))) as Record<string, unknown>;
    const statements = await pendingStatements(schemaModule, service);
    expect(statements, `run \`npm run db:generate\` in workers/${service}`).toEqual([]);
  });

  it("detects a change that has no migration (the check can fail)", async () => {
    const schemaModule = (await import(join(workerDir("payments"), "src", "db", "schema.ts"))) as Record<
      string,
      unknown
    >;
    const payments = pgSchema("payments");
    const undeclared = payments.table("refunds_not_migrated", { id: uuid("id").primaryKey(), reason: text("reason") });
    const statements = await pendingStatements({ ...schemaModule, undeclared }, "payments");
    expect(statements.join("\n")).toContain('CREATE TABLE "payments"."refunds_not_migrated"');
  });
});
