import { beforeAll, describe, expect, it } from "vitest";
import { api } from "../../../test/support/api.ts";
import { db } from "../../../test/support/database.ts";
import { instructor, learner, type Person } from "../../../test/support/people.ts";
import { publishedCourse, type CourseBody } from "../../../test/support/courses.ts";
import { buy } from "./support/purchases.ts";

/**
 * Changing a published course's price is checked like setting it (courses/src/routes/schemas.ts):
 * its author cannot set it to 0 or to a currency Stripe does not take, and the course stays
 * buyable. A price that is invalid in the database anyway (written by hand, or before the rule)
 * makes buying answer 422 with what is wrong, never a 500.
 */

let author: Person;
let course: CourseBody;

const setPrice = (price: unknown) =>
  api<CourseBody>("PATCH", `/api/courses/${course.id}`, { token: author.token, body: { price } });

beforeAll(async () => {
  author = await instructor("price-change-author");
  course = await publishedCourse(author, { price: { amountMinor: 1900, currency: "EUR" } });
});

describe("a published course's price", () => {
  it("cannot be changed to 0, under the minimum, or to an unknown currency; it stays buyable at its price", async () => {
    for (const price of [
      { amountMinor: 0, currency: "EUR" },
      { amountMinor: 49, currency: "EUR" },
      { amountMinor: 1900, currency: "ZZZ" },
    ]) {
      const refused = await setPrice(price);
      expect(refused.status, JSON.stringify(price)).toBe(400);
      expect(refused.headers.get("content-type")).toContain("application/problem+json");
    }
    const bought = await buy(await learner("price-change-buyer"), course);
    expect(bought.status).toBe(201);
    const { rows } = await db.query("select amount_minor, currency from payments.payments where id = $1", [
      bought.body.paymentId,
    ]);
    expect(rows).toEqual([{ amount_minor: 1900, currency: "EUR" }]);
  });

  it("can be changed to another valid price, and buying then charges that price", async () => {
    expect((await setPrice({ amountMinor: 2500, currency: "USD" })).status).toBe(200);
    const bought = await buy(await learner("repriced-buyer"), course);
    expect(bought.status).toBe(201);
    const { rows } = await db.query("select amount_minor, currency from payments.payments where id = $1", [
      bought.body.paymentId,
    ]);
    expect(rows).toEqual([{ amount_minor: 2500, currency: "USD" }]);
  });

  it("stored invalid anyway (0, or ZZZ): buying answers 422 naming the price, and opens no checkout", async () => {
    for (const [amount, currency, field] of [
      [0, "EUR", "price.amountMinor"],
      [1900, "ZZZ", "price.currency"],
    ] as const) {
      await db.query("update courses.courses set price_amount = $2, price_currency = $3 where id = $1", [
        course.id,
        amount,
        currency,
      ]);
      const someone = await learner("invalid-price-buyer");
      const refused = await buy(someone, course);
      expect(refused.status, `${amount} ${currency}`).toBe(422);
      expect(refused.headers.get("content-type")).toContain("application/problem+json");
      const problem = refused.body as unknown as { detail: string; errors: Array<{ path: string }> };
      expect(problem.detail).toMatch(/cannot be bought at its current price/);
      expect(problem.errors.map((error) => error.path)).toEqual([field]);
      const { rows } = await db.query("select 1 from payments.payments where user_id = $1", [someone.userId]);
      expect(rows).toHaveLength(0);
    }
  });
});
