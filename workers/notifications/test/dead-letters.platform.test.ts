import { beforeAll, describe, expect, it } from "vitest";
import { api } from "../../../test/support/api.ts";
import { publishedCourse, type CourseBody } from "../../../test/support/courses.ts";
import { db } from "../../../test/support/database.ts";
import { mailTo } from "../../../test/support/mailbox.ts";
import { admin, instructor, type Person } from "../../../test/support/people.ts";
import { ASYNC_EFFECTS } from "../../../test/support/polling.ts";
import { buy, deliveriesOf, settledDeliveries, settledLearner } from "./support/journey.ts";

/**
 * A notice that cannot be rendered sends its event to the dead letters with the reason, not half a mail, on the
 * running platform: the router (workerd) hands COURSE_ACCESS_GRANTED to the notifications worker (workerd), whose
 * template refuses the course's title; the Queue retries, gives up, and the dead-letter consumer records why.
 *
 * How the template is made to fail: every API and the event catalogue refuse what the templates would (a course
 * title over 200 characters, a name over 200…), so no request can do it. What can is data the courses service
 * holds but its API would refuse today: `courses.courses.title` is `text` with no CHECK, and an import or a
 * hand-made fix in SQL can leave a title longer than the 300 characters `purchase-confirmed` accepts. The test
 * writes such a title behind the API's back, then buys the course the ordinary way. No test-only switch exists in
 * the worker for this.
 */
const TOO_LONG_TITLE = `An imported course ${"with a very long title ".repeat(13)}`.slice(0, 301);

interface DeadLetterView {
  readonly id: string;
  readonly eventId: string | null;
  readonly eventType: string | null;
  readonly reason: string | null;
  readonly replayedAt: string | null;
  readonly body: { readonly id: string; readonly data: Record<string, unknown> };
}

let manager: Person;
let course: CourseBody;

beforeAll(async () => {
  manager = await admin("dead-letter-admin");
  course = await publishedCourse(await instructor("dead-letter-author"), {
    price: { amountMinor: 1900, currency: "EUR" },
    title: "A title that is fine",
  });
});

/** The COURSE_ACCESS_GRANTED courses wrote for this purchase (its outbox row is the event). */
async function grantEventOf(userId: string, courseId: string): Promise<string> {
  const id = async () =>
    (
      await db.query<{ id: string }>(
        "select id from courses.outbox where type = 'COURSE_ACCESS_GRANTED' and envelope->'data'->>'userId' = $1 and envelope->'data'->>'courseId' = $2",
        [userId, courseId],
      )
    ).rows[0]?.id;
  await expect.poll(id, { ...ASYNC_EFFECTS, message: "courses to grant access" }).toBeDefined();
  return (await id()) ?? "";
}

/** The dead letters of one event, through the admin API (the list, newest first, then each one whole). */
async function deadLettersOf(eventId: string): Promise<DeadLetterView[]> {
  const listed = await api<{ items: DeadLetterView[] }>("GET", "/api/events/dead-letters?limit=100", {
    token: manager.token,
  });
  expect(listed.status).toBe(200);
  return listed.body.items.filter((item) => item.eventId === eventId);
}

describe("a template that refuses its data", () => {
  it("dead-letters the event with the subscriber and the template's reason, sends nothing, and a replay after the fix mails once", async () => {
    const buyer = await settledLearner("dead-letter-buyer");
    await db.query("update courses.courses set title = $2 where id = $1", [course.id, TOO_LONG_TITLE]);
    await buy(buyer, course);
    const eventId = await grantEventOf(buyer.userId, course.id);

    // The Queue's retries are immediate on the test stack (QUEUE_RETRY_BASE_SECONDS=0): seconds, not minutes.
    await expect
      .poll(async () => (await deadLettersOf(eventId)).length, { ...ASYNC_EFFECTS, message: "the dead letter" })
      .toBeGreaterThan(0);
    const [listed] = await deadLettersOf(eventId);
    const read = await api<DeadLetterView>("GET", `/api/events/dead-letters/${listed?.id}`, { token: manager.token });
    expect(read.status).toBe(200);
    const letter = read.body;
    expect(letter).toMatchObject({
      eventId,
      eventType: "COURSE_ACCESS_GRANTED",
      replayedAt: null,
      body: { id: eventId, data: { userId: buyer.userId, courseId: course.id, via: "purchase" } },
    });
    // The last failure before the Queue gave up: which subscriber, which template, which variable, and why; only
    // notifications failed (progress, the other subscriber, applied the grant). The router keeps an error's message,
    // which for a TemplateError names the template itself.
    expect(letter.reason).toBe(
      'NOTIFICATIONS: Template "purchase-confirmed": invalid or missing variables: courseTitle: Too big: expected string to have <=300 characters',
    );

    // Nothing half-done: no mail at the SMTP server, no delivery or notice, not even the dedupe mark.
    expect(await mailTo(buyer.email, { subject: "Your purchase" })).toEqual([]);
    expect(await deliveriesOf(buyer.userId, "purchase-confirmed")).toEqual([]);
    const notices = await db.query("select 1 from notifications.notices where caused_by = $1", [eventId]);
    expect(notices.rowCount).toBe(0);
    const marked = await db.query("select 1 from notifications.processed_events where event_id = $1", [eventId]);
    expect(marked.rowCount).toBe(0);

    // The operator fixes the title and replays the letter: now the confirmation goes out, once.
    await db.query("update courses.courses set title = $2 where id = $1", [course.id, course.title]);
    const replayed = await api<DeadLetterView>("POST", `/api/events/dead-letters/${letter.id}/replay`, {
      token: manager.token,
    });
    expect(replayed.status).toBe(200);
    expect(replayed.body.replayedAt).not.toBeNull();
    expect(await settledDeliveries(buyer.userId, "purchase-confirmed", 2)).toEqual([
      { channel: "email", status: "sent", attempts: 1, last_error: null },
      { channel: "in_app", status: "sent", attempts: 1, last_error: null },
    ]);
    const mails = await mailTo(buyer.email, { subject: "Your purchase" });
    expect(mails.map((mail) => mail.subject)).toEqual([`Your purchase: ${course.title}`]);
  });
});
