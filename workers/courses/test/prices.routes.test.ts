import pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";
import type { ProblemDetails } from "@platform/http-kit";
import { uniqueSlug } from "../../../test/support/courses.ts";
import { inProcess, principal, recordingQueue } from "../../../test/support/in-process.ts";
import { app } from "../src/app.ts";
import type { CourseView } from "../src/routes/schemas.ts";

/**
 * Course prices are checked on every write, not only at publish: a currency we charge in
 * (packages/contracts/src/money.ts) and at least Stripe's minimum charge for it. A free course has
 * no price (null); there is no "price 0".
 */

const db = new pg.Pool({ connectionString: inject("routesDatabaseUrl") });
afterAll(() => db.end());

const courses = inProcess(app, { EVENTS_QUEUE: recordingQueue() });
const author = principal("instructor");

const fieldPaths = (body: Answer) => (body.errors ?? []).map((error) => error.path);

/** A course answer, or the problem refusing it. */
type Answer = Partial<CourseView> & Partial<Omit<ProblemDetails, "status">>;

const create = (price: unknown) =>
  courses.request<Answer>("POST", "/api/courses", {
    as: author,
    body: { title: "Priced course", slug: uniqueSlug("priced"), price },
  });

const storedPrice = async (courseId: string) =>
  (
    await db.query<{ price_amount: number | null; price_currency: string | null }>(
      "select price_amount, price_currency from courses.courses where id = $1",
      [courseId],
    )
  ).rows[0];

describe("course prices on create", () => {
  it.each([
    [{ amountMinor: 0, currency: "EUR" }, "json.price.amountMinor"],
    [{ amountMinor: 49, currency: "EUR" }, "json.price.amountMinor"],
    [{ amountMinor: 29, currency: "GBP" }, "json.price.amountMinor"],
    [{ amountMinor: 1499, currency: "CZK" }, "json.price.amountMinor"],
    [{ amountMinor: 49, currency: "JPY" }, "json.price.amountMinor"],
    [{ amountMinor: 100_000_000, currency: "EUR" }, "json.price.amountMinor"],
    [{ amountMinor: 1900, currency: "ZZZ" }, "json.price.currency"],
    [{ amountMinor: 1900, currency: "eur" }, "json.price.currency"],
    [{ amountMinor: 1900, currency: "XTS" }, "json.price.currency"],
  ])("refuses %j with 400 naming the field", async (price, path) => {
    const refused = await create(price);
    expect(refused.status).toBe(400);
    expect(refused.headers.get("content-type")).toContain("application/problem+json");
    expect(fieldPaths(refused.body)).toContain(path);
  });

  it("says what the minimum is, in the currency's own units", async () => {
    const refused = await create({ amountMinor: 1000, currency: "HUF" });
    expect(refused.body.errors).toEqual([
      { path: "json.price.amountMinor", message: expect.stringContaining("17500 minor units (175.00 HUF)") },
    ]);
    const yen = await create({ amountMinor: 10, currency: "JPY" });
    expect(yen.status).toBe(400);
    expect((await create({ amountMinor: 40, currency: "JPY" })).body.errors?.[0]?.message).toContain("(50 JPY)");
  });

  it.each([
    [{ amountMinor: 50, currency: "EUR" }],
    [{ amountMinor: 30, currency: "GBP" }],
    [{ amountMinor: 50, currency: "JPY" }],
    [{ amountMinor: 17_500, currency: "HUF" }],
    [null],
  ])("accepts %j (the minimum itself, or free)", async (price) => {
    const created = await create(price);
    expect(created.status).toBe(201);
    expect(created.body.price).toEqual(price);
  });
});

describe("course prices on change", () => {
  it("refuses a price under the minimum or in an unknown currency, and keeps the price it had", async () => {
    const created = await create({ amountMinor: 1900, currency: "EUR" });
    expect(created.status).toBe(201);
    const courseId = String(created.body.id);
    for (const price of [
      { amountMinor: 0, currency: "EUR" },
      { amountMinor: 1900, currency: "ZZZ" },
    ]) {
      const refused = await courses.request<ProblemDetails>("PATCH", `/api/courses/${courseId}`, {
        as: author,
        body: { price },
      });
      expect(refused.status, JSON.stringify(price)).toBe(400);
    }
    expect(await storedPrice(courseId)).toEqual({ price_amount: 1900, price_currency: "EUR" });

    // Free is spelled null, and a free course can be priced again.
    for (const price of [null, { amountMinor: 2500, currency: "USD" }]) {
      const changed = await courses.request<CourseView>("PATCH", `/api/courses/${courseId}`, {
        as: author,
        body: { price },
      });
      expect(changed.status).toBe(200);
      expect(changed.body.price).toEqual(price);
    }
  });
});
