import { db } from "../../../../test/support/database.ts";

/** What the services recorded about payments, read straight from PostgreSQL. */

export async function paymentStatus(paymentId: string): Promise<string | undefined> {
  const { rows } = await db.query<{ status: string }>("select status from payments.payments where id = $1", [
    paymentId,
  ]);
  return rows[0]?.status;
}

/** How many events of a type the payments outbox holds for these payments (or subscriptions). */
export async function paymentEvents(type: string, ids: readonly string[], key = "paymentId"): Promise<number> {
  const { rows } = await db.query<{ n: string }>(
    `select count(*) as n from payments.outbox where type = $1 and envelope->'data'->>'${key}' = any($2)`,
    [type, ids],
  );
  return Number(rows[0]?.n ?? 0);
}

/** Grants the courses service recorded for these payments. */
export async function accessGrants(paymentIds: readonly string[]): Promise<{ events: number; enrollments: number }> {
  const events = await db.query<{ n: string }>(
    "select count(*) as n from courses.outbox where type = 'COURSE_ACCESS_GRANTED' and envelope->'data'->>'reference' = any($1)",
    [paymentIds],
  );
  const enrollments = await db.query<{ n: string }>(
    "select count(*) as n from courses.enrollments where via = 'purchase' and reference = any($1) and revoked_at is null",
    [paymentIds],
  );
  return { events: Number(events.rows[0]?.n ?? 0), enrollments: Number(enrollments.rows[0]?.n ?? 0) };
}

export async function stripeEventRows(eventIds: readonly string[]): Promise<number> {
  const { rows } = await db.query<{ n: string }>(
    "select count(*) as n from payments.stripe_events where event_id = any($1)",
    [eventIds],
  );
  return Number(rows[0]?.n ?? 0);
}
