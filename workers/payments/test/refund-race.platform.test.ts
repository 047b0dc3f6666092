import { describe, expect, it, vi } from "vitest";
import { triggerOutboxSweep } from "@platform/dev-stack";
import { buildEvent, outboxRowOf } from "@platform/events";
import { gatewayUrl } from "../../../test/support/api.ts";
import { db } from "../../../test/support/database.ts";
import { instructor, learner } from "../../../test/support/people.ts";
import { publishedCourse } from "../../../test/support/courses.ts";
import { ASYNC_EFFECTS } from "../../../test/support/polling.ts";

/**
 * When COURSE_PURCHASED and PAYMENT_REFUNDED of one payment reach the courses service in the same
 * Queue batch, the event router applies them at the same moment. The courses service revokes with
 * one upsert (workers/courses/src/enrollments.ts, revokePurchase), so whichever commits first,
 * the refund wins: the buyer never keeps the course.
 */
describe("a purchase and its refund applied at once by the courses service", () => {
  it("leave no access behind", async () => {
    const course = await publishedCourse(await instructor("race-author"), {
      price: { amountMinor: 1500, currency: "EUR" },
    });
    const buyer = await learner("race-buyer");
    const paymentIds = Array.from({ length: 20 }, () => crypto.randomUUID());
    const now = new Date().toISOString();
    for (const paymentId of paymentIds) {
      // Exactly what the payments worker writes for a purchase refunded right after it was paid.
      const purchased = buildEvent(
        "COURSE_PURCHASED",
        {
          paymentId,
          userId: buyer.userId,
          courseId: course.id,
          amountMinor: 1500,
          currency: "EUR",
          provider: "stripe",
          providerReference: "pi_race",
          purchasedAt: now,
        },
        { source: "payments", correlationId: "refund-race" },
      );
      const refunded = buildEvent(
        "PAYMENT_REFUNDED",
        {
          paymentId,
          userId: buyer.userId,
          courseId: course.id,
          amountMinor: 1500,
          currency: "EUR",
          refundReference: "re_race",
          refundedAt: now,
        },
        { source: "payments", correlationId: "refund-race" },
      );
      for (const row of [outboxRowOf(purchased), outboxRowOf(refunded)]) {
        await db.query(
          "insert into payments.outbox (id, type, topic, aggregate_id, envelope) values ($1, $2, $3, $4, $5)",
          [row.id, row.type, row.topic, row.aggregateId, JSON.stringify(row.envelope)],
        );
      }
    }
    // One sweep relays them all at once: they reach the courses service in the same batch.
    await triggerOutboxSweep(gatewayUrl);
    const rows = await vi.waitFor(async () => {
      // Applied first, then the grants: read the other way round, a refund committing between the two reads would
      // show its grant unrevoked beside a complete count.
      const processed = await db.query<{ n: string }>(
        "select count(*) as n from courses.processed_events where event_id in (select id from payments.outbox where envelope->'data'->>'paymentId' = any($1))",
        [paymentIds],
      );
      expect(Number(processed.rows[0]?.n), "both events of every payment applied").toBe(2 * paymentIds.length);
      const applied = await db.query<{ reference: string; revoked: boolean }>(
        "select reference, revoked_at is not null as revoked from courses.enrollments where reference = any($1)",
        [paymentIds],
      );
      return applied.rows;
    }, ASYNC_EFFECTS);
    expect(rows).toHaveLength(paymentIds.length);
    expect(rows.filter((row) => !row.revoked).map((row) => row.reference)).toEqual([]);
  });
});
