import { beforeAll, describe, expect, inject, it } from "vitest";
import { triggerOutboxSweep } from "@platform/dev-stack";
import { standInClient } from "@platform/stripe-stand-in";
import { mailboxClient } from "@platform/test-mailbox";
import { GOOD_PASSWORD, api, gatewayUrl, registerAndLogin, uniqueEmail } from "../../../test/support/api.ts";
import { publishedCourse, type CourseBody } from "../../../test/support/courses.ts";
import { db } from "../../../test/support/database.ts";
import { mailTo, refuseMail, waitForMail } from "../../../test/support/mailbox.ts";
import { instructor, type Person } from "../../../test/support/people.ts";
import { ASYNC_EFFECTS } from "../../../test/support/polling.ts";
import { openLive } from "./support/live.ts";

/**
 * Both journeys end to end on the running platform, with the real SMTP server of the test mailbox: register →
 * the welcome; buy a course through the Stripe stand-in → the purchase confirmation with the course's link;
 * complete every lesson → the congratulation with the certificates' link; a German profile's mail in German;
 * an in-app notice on an open live socket, and the unread count following reads.
 */
const stripe = standInClient(inject("stripeStandInUrl"));
const mailbox = mailboxClient(inject("mailboxUrl"));
let author: Person;
let course: CourseBody;

beforeAll(async () => {
  author = await instructor("notify-author");
  course = await publishedCourse(author, {
    price: { amountMinor: 2900, currency: "EUR" },
    title: "Mail <b>journeys</b> & more",
  });
});

/** Every delivery of this person's, once none is pending any more: the log says what was sent to them. */
async function settledDeliveries(userId: string, template: string) {
  await expect
    .poll(
      async () =>
        (
          await db.query(
            "select 1 from notifications.deliveries where user_id = $1 and template = $2 and status = 'pending'",
            [userId, template],
          )
        ).rowCount,
      ASYNC_EFFECTS,
    )
    .toBe(0);
  const { rows } = await db.query<{ channel: string; status: string; attempts: number }>(
    "select channel, status, attempts from notifications.deliveries where user_id = $1 and template = $2 order by channel",
    [userId, template],
  );
  return rows;
}

async function buy(buyer: Person, paid: { id: string }) {
  const answer = await api<{ checkoutUrl: string }>("POST", `/api/payments/courses/${paid.id}`, { token: buyer.token });
  expect(answer.status).toBe(201);
  const sessionId = /\/(cs_test_[A-Za-z0-9]+)$/.exec(new URL(answer.body.checkoutUrl).pathname)?.[1];
  await stripe.completeCheckout(sessionId ?? "");
}

async function completeEveryLesson(learner: Person, courseId: string) {
  const lessons = await api<{ lessons: { id: string }[] }>("GET", `/api/courses/${courseId}/lessons`, {
    token: learner.token,
  });
  expect(lessons.status).toBe(200);
  for (const lesson of lessons.body.lessons) {
    const done = await api("POST", `/api/progress/lessons/${lesson.id}`, {
      token: learner.token,
      body: { event: "completed" },
    });
    expect(done.status).toBe(200);
  }
}

describe("the first journey: register and buy", () => {
  it("the welcome arrives once, in English, linking the catalog, with a one-click unsubscribe", async () => {
    const { email, userId } = await registerAndLogin("notify-welcome");
    const mail = await waitForMail(email, { subject: "Welcome to Edge Learning" });
    expect(mail.envelope.to).toEqual([email]);
    expect(mail.text).toContain(`${gatewayUrl}/courses`);
    expect(mail.headers["list-unsubscribe"]).toMatch(
      /^<http:\/\/127\.0\.0\.1:\d+\/api\/notifications\/unsubscribe\?token=/,
    );
    expect(mail.headers["list-unsubscribe-post"]).toBe("List-Unsubscribe=One-Click");
    expect(await settledDeliveries(userId, "welcome")).toEqual([
      { channel: "email", status: "sent", attempts: 1 },
      { channel: "in_app", status: "sent", attempts: 1 },
    ]);
    expect(await mailTo(email, { subject: "Welcome" })).toHaveLength(1);
  });

  it("a purchase is confirmed by mail with the course's link (its title escaped in the HTML), and announced live", async () => {
    const session = await registerAndLogin("notify-buyer");
    const buyer = { userId: session.userId, token: session.tokens.accessToken };
    const live = await openLive(buyer);
    try {
      await buy(buyer, course);
      const mail = await waitForMail(session.email, { subject: "Your purchase" });
      expect(mail.subject).toBe(`Your purchase: ${course.title}`);
      expect(mail.text).toContain(`${gatewayUrl}/courses/${course.slug}`);
      expect(mail.html).toContain("Mail &lt;b&gt;journeys&lt;/b&gt; &amp; more");
      expect(mail.html).not.toContain("<b>journeys</b>");

      // The welcome may be on the socket too (the hub replays its latest): the purchase's notice is the one here.
      const created = await live.message(
        "notification.created",
        (message) => (message.notice as { category?: string }).category === "purchases",
      );
      expect(created).toMatchObject({
        notice: { category: "purchases", title: expect.any(String), id: expect.any(String) },
        unread: expect.any(Number),
      });
    } finally {
      live.close();
    }
    expect(await mailTo(session.email, { subject: "Your purchase" })).toHaveLength(1);
  });
});

describe("retries through the gateway's cron", () => {
  it("a welcome refused with 451 is retried by the every-minute chore and then delivered, once", async () => {
    const email = uniqueEmail("notify-retry");
    // Twice: registration may also send the address's verification mail, in either order.
    await refuseMail({ stage: "rcpt", address: email, code: 451, message: "greylisted", times: 2 });
    const registered = await api<{ id: string }>("POST", "/api/auth/register", {
      body: { email, password: GOOD_PASSWORD, name: "Retry" },
    });
    expect(registered.status).toBe(201);
    const refused = async () =>
      (
        await db.query<{ attempts: number; last_error: string | null }>(
          "select attempts, last_error from notifications.deliveries where user_id = $1 and template = 'welcome' and channel = 'email'",
          [registered.body.id],
        )
      ).rows[0];
    await expect.poll(refused, ASYNC_EFFECTS).toMatchObject({ attempts: 1, last_error: expect.stringMatching(/451/) });
    await mailbox.clearRefusals();
    // The retry is due a second later (the test stack's DELIVERY_RETRY_BASE_SECONDS); the cron tries it.
    await expect
      .poll(async () => {
        await triggerOutboxSweep(gatewayUrl);
        return (await mailTo(email, { subject: "Welcome" })).length;
      }, ASYNC_EFFECTS)
      .toBe(1);
    expect(await settledDeliveries(registered.body.id, "welcome")).toContainEqual({
      channel: "email",
      status: "sent",
      attempts: 2,
    });
  });
});

describe("the second journey: learn to the end", () => {
  it("completing every lesson brings the congratulation with the certificates' link", async () => {
    const session = await registerAndLogin("notify-graduate");
    const learner = { userId: session.userId, token: session.tokens.accessToken };
    await buy(learner, course);
    await waitForMail(session.email, { subject: "Your purchase" });
    await completeEveryLesson(learner, course.id);
    const mail = await waitForMail(session.email, { subject: "Congratulations" });
    expect(mail.subject).toBe(`Congratulations: you completed ${course.title}`);
    expect(mail.text).toContain(`${gatewayUrl}/learning/certificates`);
    expect(mail.text).toContain(`${gatewayUrl}/courses/${course.slug}`);
    expect(mail.envelope.to).toEqual([session.email]);
    // Once: the log has one mail and one in-app notice for it, and the SMTP server received one message.
    expect(await settledDeliveries(learner.userId, "course-completed")).toEqual([
      { channel: "email", status: "sent", attempts: 1 },
      { channel: "in_app", status: "sent", attempts: 1 },
    ]);
    expect(await mailTo(session.email, { subject: "Congratulations" })).toHaveLength(1);
  });

  it("a German profile gets German mail", async () => {
    const session = await registerAndLogin("notify-german");
    const learner = { userId: session.userId, token: session.tokens.accessToken };
    // The profile is made from USER_CREATED: wait for it before changing its locale.
    await expect
      .poll(async () => (await api("GET", "/api/users/me", { token: learner.token })).status, ASYNC_EFFECTS)
      .toBe(200);
    expect((await api("PATCH", "/api/users/me", { token: learner.token, body: { locale: "de-DE" } })).status).toBe(200);
    await buy(learner, course);
    const mail = await waitForMail(session.email, { subject: "Dein Kauf" });
    expect(mail.subject).toBe(`Dein Kauf: ${course.title}`);
    const { rows } = await db.query(
      "select locale from notifications.deliveries where user_id = $1 and template = $2",
      [learner.userId, "purchase-confirmed"],
    );
    expect(rows.map((row) => row.locale)).toEqual(["de", "de"]);
  });
});

describe("in-app", () => {
  it("the unread count follows reads", async () => {
    const session = await registerAndLogin("notify-inbox");
    const learner = { userId: session.userId, token: session.tokens.accessToken };
    await buy(learner, course);
    type Inbox = { items: { id: string; template: string; readAt: string | null }[]; unreadCount: number };
    await expect
      .poll(
        async () => (await api<Inbox>("GET", "/api/notifications", { token: learner.token })).body.unreadCount,
        ASYNC_EFFECTS,
      )
      .toBe(2);
    const inbox = await api<Inbox>("GET", "/api/notifications", { token: learner.token });
    expect(inbox.body.items.map((item) => item.template).sort()).toEqual(["purchase-confirmed", "welcome"]);
    const [newest] = inbox.body.items;
    const read = await api<{ unreadCount: number }>("POST", `/api/notifications/${newest?.id}/read`, {
      token: learner.token,
    });
    expect(read.status).toBe(200);
    expect(read.body.unreadCount).toBe(1);
    expect((await api<Inbox>("GET", "/api/notifications", { token: learner.token })).body.unreadCount).toBe(1);
    expect((await api("POST", "/api/notifications/read-all", { token: learner.token })).status).toBe(200);
    expect((await api<Inbox>("GET", "/api/notifications", { token: learner.token })).body.unreadCount).toBe(0);
  });
});
