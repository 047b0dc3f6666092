import { randomUUID } from "node:crypto";
import type pg from "pg";
import { buildEvent, outboxRowOf, type EventEnvelope } from "@platform/events";

/** The size the bridge budget is stated for. */
export const EVENT_BYTES = 1024;

/**
 * A valid COURSE_UPDATED whose stored envelope is about `EVENT_BYTES` (the `changed` list is
 * padded), for a random course: the writes spread over every partition.
 */
export function benchEvent(courseId: string = randomUUID()): EventEnvelope {
  const base = buildEvent(
    "COURSE_UPDATED",
    { courseId, authorId: randomUUID(), changed: ["title"], status: "published" },
    { source: "courses", correlationId: "bench" },
  );
  const missing = EVENT_BYTES - JSON.stringify(base).length;
  const changed = ["title"];
  // Each entry adds its length plus three characters (quotes and comma).
  for (let left = missing; left > 3; left -= 63) changed.push("x".repeat(Math.min(60, left - 3)));
  return buildEvent("COURSE_UPDATED", { ...base.data, changed }, { source: "courses", correlationId: "bench" });
}

/** Inserts envelopes into the courses outbox with one statement (in the caller's transaction, if any). */
export async function insertOutbox(client: pg.ClientBase, envelopes: readonly EventEnvelope[]): Promise<void> {
  const rows = envelopes.map(outboxRowOf);
  await client.query(
    `INSERT INTO courses.outbox (id, type, topic, aggregate_id, envelope)
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
