import { sql } from "drizzle-orm";
import type { NeonDatabase } from "drizzle-orm/neon-serverless";
import { MIGRATIONS_TABLE } from "./migration-config.ts";
import { unavailableReason } from "./unavailable.ts";

export type DatabaseHealth =
  | { status: "pass"; schema: string; migrationsApplied: number; latencyMs: number }
  | { status: "fail"; schema: string; error: string };

const HEALTH_TIMEOUT_MS = 3_000;

/**
 * Proves the worker can reach PostgreSQL through its driver and that its own schema has been
 * migrated: a reachable database with an unmigrated schema is not healthy.
 */
export async function checkDatabase(
  db: NeonDatabase<Record<string, unknown>>,
  schema: string,
): Promise<DatabaseHealth> {
  const started = Date.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${HEALTH_TIMEOUT_MS} ms`)), HEALTH_TIMEOUT_MS);
  });
  try {
    const query = db.execute<{ applied: number }>(
      sql`select count(*)::int as applied from ${sql.identifier(schema)}.${sql.identifier(MIGRATIONS_TABLE)}`,
    );
    const result = await Promise.race([query, timeout]);
    const applied = result.rows[0]?.applied ?? 0;
    if (applied === 0) return { status: "fail", schema, error: "no migrations applied" };
    return { status: "pass", schema, migrationsApplied: applied, latencyMs: Date.now() - started };
  } catch (error) {
    return { status: "fail", schema, error: describe(error) };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * For the gateway's health answer to admins: what the driver or PostgreSQL said, not drizzle's
 * wrapper (whose message repeats the query and its parameters).
 */
function describe(error: unknown): string {
  const unavailable = unavailableReason(error);
  if (unavailable !== undefined) return unavailable;
  let innermost: unknown = error;
  while (innermost instanceof Error && innermost.cause instanceof Error) innermost = innermost.cause;
  return innermost instanceof Error ? innermost.message : String(error);
}
