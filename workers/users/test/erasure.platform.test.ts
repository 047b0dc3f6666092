import { afterAll, describe, expect, inject, it, vi } from "vitest";
import { openDatabase } from "@platform/db";
import type { EventData, EventEnvelope } from "@platform/events";
import { api, registerAndLogin } from "../../../test/support/api.ts";
import { publishedCourse } from "../../../test/support/courses.ts";
import { db } from "../../../test/support/database.ts";
import { instructor } from "../../../test/support/people.ts";
import { ASYNC_EFFECTS } from "../../../test/support/polling.ts";
import { checkout } from "../../payments/test/support/purchases.ts";
import { stripe } from "../../payments/test/support/stripe.ts";
import * as schema from "../src/db/schema.ts";
import { applyUserCreated } from "../src/profiles.ts";

/**
 * Erasure across the services on the whole stack: a late USER_CREATED cannot bring an erased
 * profile back; the export gathers purchases and enrollments from the services that hold them;
 * USER_DELETED reaches courses (grants deleted) and payments (rows kept under a pseudonym).
 */
const database = openDatabase(
  { DATABASE_URL: inject("databaseUrl"), NEON_WS_PROXY: `127.0.0.1:${inject("proxyPort")}` },
  schema,
);
afterAll(() => database.close());

const count = async (sql: string, ...params: unknown[]) => (await db.query(sql, params)).rowCount;

describe("a registration erased at once", () => {
  it("stays erased when its USER_CREATED arrives after the erasure", async () => {
    const session = await registerAndLogin("erase-at-once");
    const { userId } = session;
    // No waiting for the profile: the erasure races the USER_CREATED the Queue is delivering.
    expect((await api("DELETE", "/api/users/me", { token: session.tokens.accessToken })).status).toBe(204);

    const { rows } = await db.query<{ envelope: EventEnvelope<"USER_CREATED", EventData<"USER_CREATED">> }>(
      "select envelope from auth.outbox where aggregate_id = $1 and type = 'USER_CREATED'",
      [userId],
    );
    const created = rows[0]?.envelope;
    if (!created) throw new Error("no USER_CREATED in the auth outbox");
    // Whichever order the Queue took, make this event arrive last: forget that users applied it (if it did)
    // and deliver it again, as a late delivery or the sweep's re-send would.
    await db.query("delete from users.processed_events where event_id = $1", [created.id]);
    expect(await applyUserCreated(database.db, created)).toBe("applied");

    expect(await count("select 1 from users.profiles where user_id = $1", userId)).toBe(0);
    expect(await count("select 1 from users.erased_users where user_id = $1", userId)).toBe(1);
    // USER_DELETED reaches the users worker too, and changes nothing more.
    await vi.waitFor(async () => {
      const applied = await count(
        "select 1 from users.processed_events where type = 'USER_DELETED' and event_id = (select id from auth.outbox where aggregate_id = $1 and type = 'USER_DELETED')",
        userId,
      );
      expect(applied).toBe(1);
    }, ASYNC_EFFECTS);
    expect(await count("select 1 from users.profiles where user_id = $1", userId)).toBe(0);
  });
});

interface Export {
  learning: {
    enrollments: Array<{ courseId: string; via: string }>;
    progress: { courses: unknown[]; lessons: unknown[] };
    certificates: unknown[];
  };
  payments: { purchases: Array<{ id: string; courseId: string; amountMinor: number; status: string }> };
}

describe("export and erasure of what other services hold", () => {
  it("exports a purchase and a free enrollment, then erasure deletes the grants and pseudonymises the payment", async () => {
    const author = await instructor("erasure-author");
    const paid = await publishedCourse(author, { price: { amountMinor: 2900, currency: "EUR" }, title: "Paid" });
    const free = await publishedCourse(author, { title: "Free" });
    const session = await registerAndLogin("erasure-learner");
    const learner = { userId: session.userId, token: session.tokens.accessToken };

    const opened = await checkout(learner, paid);
    await stripe.completeCheckout(opened.sessionId);
    expect((await api("POST", `/api/courses/${free.id}/enroll`, { token: learner.token })).status).toBe(201);
    await vi.waitFor(async () => {
      const grants = await count(
        "select 1 from courses.enrollments where user_id = $1 and course_id = $2 and via = 'purchase'",
        learner.userId,
        paid.id,
      );
      expect(grants, "the purchase grant, from COURSE_PURCHASED").toBe(1);
    }, ASYNC_EFFECTS);

    const exported = await api<Export>("GET", "/api/users/me/export", { token: learner.token });
    expect(exported.status).toBe(200);
    expect(exported.body.payments.purchases).toEqual([
      expect.objectContaining({ id: opened.paymentId, courseId: paid.id, amountMinor: 2900, status: "paid" }),
    ]);
    expect(exported.body.learning.enrollments).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ courseId: paid.id, via: "purchase" }),
        expect.objectContaining({ courseId: free.id, via: "free_enrollment" }),
      ]),
    );
    // No lesson opened, nothing completed (export.platform.test.ts has a learner who did).
    expect(exported.body.learning.progress.lessons).toEqual([]);
    expect(exported.body.learning.certificates).toEqual([]);

    expect((await api("DELETE", "/api/users/me", { token: learner.token })).status).toBe(204);
    await vi.waitFor(async () => {
      expect(await count("select 1 from courses.enrollments where user_id = $1", learner.userId)).toBe(0);
      expect(await count("select 1 from payments.payments where user_id = $1", learner.userId)).toBe(0);
    }, ASYNC_EFFECTS);
    // The bookkeeping row stays: amount, dates, Stripe ids; under an id that names nobody.
    const { rows } = await db.query(
      "select user_id, amount_minor, status, paid_at is not null as paid, checkout_session_id is not null as stripe, checkout_url, idempotency_key from payments.payments where id = $1",
      [opened.paymentId],
    );
    expect(rows).toEqual([
      {
        user_id: expect.not.stringMatching(learner.userId),
        amount_minor: 2900,
        status: "paid",
        paid: true,
        stripe: true,
        checkout_url: null,
        idempotency_key: null,
      },
    ]);
    // The author's courses stay.
    expect(await count("select 1 from courses.courses where id = $1", free.id)).toBe(1);
  });
});
