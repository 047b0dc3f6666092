import { beforeAll, describe, expect, it, vi } from "vitest";
import { triggerOutboxSweep } from "@platform/dev-stack";
import { api, gatewayUrl } from "../../../test/support/api.ts";
import { publishedCourse, type CourseBody } from "../../../test/support/courses.ts";
import { db } from "../../../test/support/database.ts";
import { mailTo, refuseMail, waitForMail } from "../../../test/support/mailbox.ts";
import { instructor } from "../../../test/support/people.ts";
import { ASYNC_EFFECTS } from "../../../test/support/polling.ts";
import {
  buy,
  completeEveryLesson,
  deliveriesOf,
  newLearner,
  settledDeliveries,
  settledLearner,
} from "./support/journey.ts";
import { routerDeliveriesOf } from "./support/router-log.ts";

/**
 * The mail rules on the running platform, counted at the test's SMTP server: a category the person muted through
 * the API sends no mail; an event the router delivers a second time sends no second mail; a recipient the server
 * refuses for good (550) is recorded as failed after one attempt and never tried again, though the cron's chore
 * keeps running and the server would now accept it.
 */
let freeCourse: CourseBody;
let paidCourse: CourseBody;

beforeAll(async () => {
  const author = await instructor("mail-rules-author");
  freeCourse = await publishedCourse(author, { price: null, title: "Muted learning" });
  paidCourse = await publishedCourse(author, { price: { amountMinor: 2100, currency: "EUR" }, title: "Refused mail" });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("preferences", () => {
  it("a category muted through PUT /api/notifications/preferences sends no mail; the in-app notice still comes", async () => {
    const learner = await settledLearner("mail-muted");
    const muted = await api<{ categories: { category: string; channels: { channel: string; enabled: boolean }[] }[] }>(
      "PUT",
      "/api/notifications/preferences",
      { token: learner.token, body: { preferences: [{ category: "learning", channel: "email", enabled: false }] } },
    );
    expect(muted.status).toBe(200);
    expect(
      muted.body.categories.find((entry) => entry.category === "learning")?.channels.map((entry) => entry.enabled),
    ).toEqual([false, true, true]);

    expect((await api("POST", `/api/courses/${freeCourse.id}/enroll`, { token: learner.token })).status).toBe(201);
    await completeEveryLesson(learner, freeCourse.id);
    // COURSE_COMPLETED was consumed: its in-app notice is written and delivered, and no mail was planned beside it.
    expect(await settledDeliveries(learner.userId, "course-completed", 1)).toEqual([
      { channel: "in_app", status: "sent", attempts: 1, last_error: null },
    ]);
    const inbox = await api<{ items: { template: string }[] }>("GET", "/api/notifications", { token: learner.token });
    expect(inbox.body.items.map((item) => item.template)).toContain("course-completed");
    expect(await mailTo(learner.email, { subject: "Congratulations" })).toEqual([]);
    // The welcome reached the same address: the mailbox is not simply deaf to it.
    expect(await mailTo(learner.email, { subject: "Welcome" })).toHaveLength(1);
  });
});

describe("a duplicate delivery of an event", () => {
  it("USER_CREATED delivered again by the router sends no second welcome", async () => {
    const person = await newLearner("mail-redelivered");
    await waitForMail(person.email, { subject: "Welcome" });
    const { rows } = await db.query<{ id: string }>(
      "select id from auth.outbox where aggregate_id = $1 and type = 'USER_CREATED'",
      [person.userId],
    );
    const eventId = rows[0]?.id ?? "";
    // The router logs a delivery once every subscriber has answered.
    await vi.waitFor(() => expect(routerDeliveriesOf(eventId)).toHaveLength(1), ASYNC_EFFECTS);
    await settledDeliveries(person.userId, "welcome", 2);

    // Unqueued again, the sweep sends the very same envelope (same id) to the Queue a second time.
    await db.query("update auth.outbox set queued_at = null where id = $1", [eventId]);
    await vi.waitFor(
      async () => {
        await triggerOutboxSweep(gatewayUrl);
        const queued = await db.query("select 1 from auth.outbox where id = $1 and queued_at is not null", [eventId]);
        expect(queued.rowCount, "the row queued again").toBe(1);
      },
      { ...ASYNC_EFFECTS, interval: 1000 },
    );
    const outcomes = await vi.waitFor(() => {
      const seen = routerDeliveriesOf(eventId);
      expect(seen, "the second delivery").toHaveLength(2);
      return seen;
    }, ASYNC_EFFECTS);
    expect(outcomes[1]).toContain("NOTIFICATIONS:duplicate");

    // Still one welcome in the log and at the SMTP server (the sweep also ran the delivery chore meanwhile).
    expect((await deliveriesOf(person.userId, "welcome")).map((row) => `${row.channel}:${row.status}`)).toEqual([
      "email:sent",
      "in_app:sent",
    ]);
    expect(await mailTo(person.email, { subject: "Welcome" })).toHaveLength(1);
  });
});

describe("a recipient refused for good", () => {
  it("550 is recorded as failed after one attempt and not retried by the cron's chore", async () => {
    const buyer = await settledLearner("mail-refused");
    // Once only: were the delivery ever tried again, the server would accept it and the mail would arrive.
    await refuseMail({ stage: "rcpt", address: buyer.email, code: 550, message: "no such mailbox", times: 1 });
    await buy(buyer, paidCourse);
    expect(await settledDeliveries(buyer.userId, "purchase-confirmed", 2)).toEqual([
      { channel: "email", status: "failed", attempts: 1, last_error: expect.stringMatching(/550/) },
      { channel: "in_app", status: "sent", attempts: 1, last_error: null },
    ]);

    // A temporary failure would be due again after 1 s, then 2 s (DELIVERY_RETRY_BASE_SECONDS=1): outlast both,
    // running the every-minute chore that sends what is due.
    for (let sweep = 0; sweep < 4; sweep += 1) {
      await sleep(1500);
      await triggerOutboxSweep(gatewayUrl);
    }
    const [email] = await deliveriesOf(buyer.userId, "purchase-confirmed");
    expect(email).toMatchObject({ channel: "email", status: "failed", attempts: 1 });
    expect(await mailTo(buyer.email, { subject: "Your purchase" })).toEqual([]);
  });
});
