import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";
import { buildEvent, outboxRowOf, type EventEnvelope } from "@platform/events";

/**
 * A database of its own for one test file, cloned from the migrated template the global setup
 * made (every service schema, outbox tables and their NOTIFY triggers included).
 */
export async function freshDatabase(label: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const adminUrl = inject("kafkaPostgresAdminUrl");
  const name = `${label}_${randomBytes(4).toString("hex")}`.toLowerCase().replace(/[^a-z0-9_]/g, "_");
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${inject("kafkaTemplateDatabase")}"`);
  } finally {
    await admin.end();
  }
  return {
    url: adminUrl.replace(/\/[^/]+$/, `/${name}`),
    drop: async () => {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** A valid COURSE_UPDATED for this course; `padding` grows the envelope (the benchmark's 1 KB events). */
export function courseEvent(courseId: string, padding = 0): EventEnvelope {
  const changed = ["title"];
  for (let left = padding; left > 0; left -= 60) changed.push("x".repeat(Math.min(60, Math.max(1, left))));
  return buildEvent(
    "COURSE_UPDATED",
    { courseId, authorId: "01a21526-e401-7c96-97bd-44a5862d649e", changed, status: "published" },
    { source: "courses", correlationId: `test-${courseId.slice(-8)}` },
  );
}

/** Inserts envelopes into a schema's outbox, in the caller's transaction if it has one open. */
export async function insertEvents(
  client: pg.ClientBase,
  schema: string,
  envelopes: readonly EventEnvelope[],
): Promise<void> {
  if (envelopes.length === 0) return;
  const rows = envelopes.map(outboxRowOf);
  await client.query(
    `INSERT INTO "${schema}".outbox (id, type, topic, aggregate_id, envelope)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::jsonb[])`,
    [
      rows.map((row) => row.id),
      rows.map((row) => row.type),
      rows.map((row) => row.topic),
      rows.map((row) => row.aggregateId),
      rows.map((row) => JSON.stringify(row.envelope)),
    ],
  );
}

export async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function unpublishedCount(client: pg.ClientBase, schema: string): Promise<number> {
  const { rows } = await client.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM "${schema}".outbox WHERE kafka_published_at IS NULL`,
  );
  return rows[0]?.n ?? -1;
}

export async function publishedIds(client: pg.ClientBase, schema: string): Promise<Set<string>> {
  const { rows } = await client.query<{ id: string }>(
    `SELECT id FROM "${schema}".outbox WHERE kafka_published_at IS NOT NULL`,
  );
  return new Set(rows.map((row) => row.id));
}
