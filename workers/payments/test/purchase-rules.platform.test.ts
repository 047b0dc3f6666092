import { beforeAll, describe, expect, it } from "vitest";
import { api } from "../../../test/support/api.ts";
import { db } from "../../../test/support/database.ts";
import { instructor, learner, type Person } from "../../../test/support/people.ts";
import { publishedCourse, uniqueSlug, type CourseBody } from "../../../test/support/courses.ts";
import { buy } from "./support/purchases.ts";
import { sessionIdOf, stripe } from "./support/stripe.ts";

/** What cannot be bought, and buying twice: Idempotency-Key replays, open checkouts, concurrent clicks. */

let author: Person;
let paid: CourseBody;

beforeAll(async () => {
  author = await instructor("pay-rules-author");
  paid = await publishedCourse(author, { price: { amountMinor: 2500, currency: "USD" } });
});

describe("courses that cannot be bought", () => {
  it("a learner cannot buy a draft course (404, as if it did not exist)", async () => {
    const draft = await api<CourseBody>("POST", "/api/courses", {
      token: author.token,
      body: {
        title: "Not yet",
        slug: uniqueSlug("draft"),
        summary: "Soon.",
        language: "en",
        price: { amountMinor: 1000, currency: "EUR" },
      },
    });
    expect(draft.status).toBe(201);
    const answer = await buy(await learner("draft-buyer"), draft.body);
    expect(answer.status).toBe(404);
    expect(answer.headers.get("content-type")).toContain("application/problem+json");
  });

  it("refuses a free course (422, pointing to enrollment), an unknown one (404) and an archived one (409)", async () => {
    const someone = await learner("refused-buyer");
    const free = await publishedCourse(author, { price: null });
    const freeAnswer = await buy(someone, free);
    expect(freeAnswer.status).toBe(422);
    expect(String((freeAnswer.body as unknown as { detail: string }).detail)).toContain(
      `/api/courses/${free.id}/enroll`,
    );
    expect((await buy(someone, { id: "0191f3a4-0000-7000-8000-00000000beef" })).status).toBe(404);
    const retired = await publishedCourse(author, { price: { amountMinor: 900, currency: "EUR" } });
    expect((await api("POST", `/api/courses/${retired.id}/archive`, { token: author.token })).status).toBe(200);
    expect((await buy(someone, retired)).status).toBe(409);
  });

  it("needs a signed-in buyer and a valid course id", async () => {
    expect((await api("POST", `/api/payments/courses/${paid.id}`)).status).toBe(401);
    const invalid = await buy(await learner("bad-id"), { id: "not-a-uuid" });
    expect(invalid.status).toBe(400);
  });
});

describe("buying twice", () => {
  it("the same Idempotency-Key returns the same checkout, and Stripe is asked once", async () => {
    const buyer = await learner("idempotent-buyer");
    const headers = { "idempotency-key": `order-${crypto.randomUUID()}` };
    const first = await buy(buyer, paid, headers);
    const second = await buy(buyer, paid, headers);
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(second.body).toEqual(first.body);
    const creates = (await stripe.requests()).filter(
      (request) => request.idempotencyKey === `checkout-course-${first.body.paymentId}`,
    );
    expect(creates).toHaveLength(1);
  });

  it("five concurrent requests with one Idempotency-Key make one payment and one session", async () => {
    const buyer = await learner("concurrent-buyer");
    const course = await publishedCourse(author, { price: { amountMinor: 3100, currency: "EUR" } });
    const headers = { "idempotency-key": `burst-${crypto.randomUUID()}` };
    const answers = await Promise.all(Array.from({ length: 5 }, () => buy(buyer, course, headers)));
    expect(answers.map((answer) => answer.status).every((status) => status === 201 || status === 200)).toBe(true);
    expect(new Set(answers.map((answer) => answer.body.paymentId)).size).toBe(1);
    expect(new Set(answers.map((answer) => answer.body.checkoutUrl)).size).toBe(1);
    const { rows } = await db.query("select id from payments.payments where user_id = $1 and course_id = $2", [
      buyer.userId,
      course.id,
    ]);
    expect(rows).toHaveLength(1);
  });

  it("the key belongs to one purchase: reused for another course it is refused (422)", async () => {
    const buyer = await learner("key-reuse");
    const other = await publishedCourse(author, { price: { amountMinor: 700, currency: "EUR" } });
    const headers = { "idempotency-key": `key-${crypto.randomUUID()}` };
    expect((await buy(buyer, paid, headers)).status).toBe(201);
    expect((await buy(buyer, other, headers)).status).toBe(422);
  });

  it("without a key, an open checkout for the same course comes back (200) instead of a second way to pay", async () => {
    const buyer = await learner("double-click");
    const first = await buy(buyer, paid);
    const second = await buy(buyer, paid);
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(second.body.paymentId).toBe(first.body.paymentId);
    expect(sessionIdOf(second.body.checkoutUrl)).toBe(sessionIdOf(first.body.checkoutUrl));
  });

  it("an expired checkout makes room for a new one", async () => {
    const buyer = await learner("expired-buyer");
    const first = await buy(buyer, paid);
    const expired = await stripe.expireCheckout(sessionIdOf(first.body.checkoutUrl));
    expect(expired.deliveries.map((delivery) => delivery.status)).toEqual([200]);
    const { rows } = await db.query<{ status: string }>("select status from payments.payments where id = $1", [
      first.body.paymentId,
    ]);
    expect(rows[0]?.status).toBe("expired");
    const second = await buy(buyer, paid);
    expect(second.status).toBe(201);
    expect(second.body.paymentId).not.toBe(first.body.paymentId);
  });
});
