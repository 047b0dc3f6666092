import pg from "pg";
import { v7 as uuidv7 } from "uuid";
import { afterAll, describe, expect, inject, it } from "vitest";
import type { CourseForSale, CoursesRpc } from "@platform/contracts";
import type { ProblemDetails } from "@platform/http-kit";
import { inProcess, principal, recordingQueue } from "../../../test/support/in-process.ts";
import { app } from "../src/app.ts";
import type { Checkout, Plan } from "./support/views.ts";

/**
 * Prices the payments service writes (plans) are checked like course prices (the shared table in
 * packages/contracts/src/money.ts), and a checkout is never opened at a stored price Stripe would
 * refuse: a course or plan whose price is somehow invalid answers 422, not 500.
 */

const db = new pg.Pool({ connectionString: inject("routesDatabaseUrl") });
afterAll(() => db.end());

/** The courses worker's RPC, as far as buying asks it: what is for sale, and who has access. */
const forSale = new Map<string, CourseForSale>();
const coursesStandIn: Pick<CoursesRpc, "courseForSale" | "hasAccess"> = {
  courseForSale: async (courseId) => forSale.get(courseId),
  hasAccess: async () => false,
};

const payments = inProcess(app, {
  COURSES: coursesStandIn,
  EVENTS_QUEUE: recordingQueue(),
  // The in-process origin is not a loopback one: the offline sandbox provider takes the "payments".
  SANDBOX_PAYMENTS: "enabled",
});
const admin = principal("admin");

const fieldPaths = (body: ProblemDetails) => (body.errors ?? []).map((error) => error.path);

function courseAt(price: CourseForSale["price"]): CourseForSale {
  const course = { id: uuidv7(), title: "A course", slug: `c-${uuidv7()}`, status: "published" as const, price };
  forSale.set(course.id, course);
  return course;
}

describe("plan prices", () => {
  it.each([
    [{ amountMinor: 49, currency: "EUR" }, "json.price.amountMinor"],
    [{ amountMinor: 0, currency: "USD" }, "json.price.amountMinor"],
    [{ amountMinor: 199, currency: "AED" }, "json.price.amountMinor"],
    [{ amountMinor: 1900, currency: "ZZZ" }, "json.price.currency"],
    [{ amountMinor: 1900, currency: "usd" }, "json.price.currency"],
  ])("refuses a new plan at %j with 400 naming the field", async (price, path) => {
    const refused = await payments.request<ProblemDetails>("POST", "/api/payments/plans", {
      as: admin,
      body: { name: "Monthly", interval: "month", price },
    });
    expect(refused.status).toBe(400);
    expect(fieldPaths(refused.body)).toEqual([path]);
  });

  it("accepts the currency's minimum, and refuses a change under it without changing the plan", async () => {
    const created = await payments.request<Plan>("POST", "/api/payments/plans", {
      as: admin,
      body: { name: "Monthly", interval: "month", price: { amountMinor: 30, currency: "GBP" } },
    });
    expect(created.status).toBe(201);
    for (const price of [
      { amountMinor: 30, currency: "EUR" },
      { amountMinor: 900, currency: "ZZZ" },
    ]) {
      const refused = await payments.request("PATCH", `/api/payments/plans/${created.body.id}`, {
        as: admin,
        body: { price },
      });
      expect(refused.status, JSON.stringify(price)).toBe(400);
    }
    const { rows } = await db.query("select amount_minor, currency from payments.plans where id = $1", [
      created.body.id,
    ]);
    expect(rows).toEqual([{ amount_minor: 30, currency: "GBP" }]);
  });
});

describe("buying at a stored price Stripe would refuse", () => {
  it.each([
    [{ amountMinor: 0, currency: "EUR" }, "price.amountMinor"],
    [{ amountMinor: 10, currency: "EUR" }, "price.amountMinor"],
    [{ amountMinor: 1900, currency: "ZZZ" }, "price.currency"],
  ])("a course stored at %j answers 422 and opens no checkout", async (price, path) => {
    const course = courseAt(price);
    const buyer = principal("learner");
    const refused = await payments.request<ProblemDetails>("POST", `/api/payments/courses/${course.id}`, {
      as: buyer,
      headers: { "idempotency-key": uuidv7() },
    });
    expect(refused.status).toBe(422);
    expect(refused.headers.get("content-type")).toContain("application/problem+json");
    expect(refused.body.detail).toMatch(/cannot be bought at its current price/);
    expect(fieldPaths(refused.body)).toEqual([path]);
    const { rows } = await db.query("select 1 from payments.payments where user_id = $1", [buyer.userId]);
    expect(rows).toHaveLength(0);
  });

  it("a course at a valid price still opens a checkout", async () => {
    const course = courseAt({ amountMinor: 1900, currency: "EUR" });
    const opened = await payments.request<Checkout>("POST", `/api/payments/courses/${course.id}`, {
      as: principal("learner"),
    });
    expect(opened.status).toBe(201);
    expect(opened.body.paymentId).toBeTruthy();
  });

  it("a plan stored at an invalid price answers 422 and opens no subscription", async () => {
    const planId = uuidv7();
    // Written by hand (or before the rule): the API would refuse this price.
    await db.query(
      "insert into payments.plans (id, name, interval, amount_minor, currency) values ($1, 'Old plan', 'month', 900, 'ZZZ')",
      [planId],
    );
    const subscriber = principal("learner");
    const refused = await payments.request<ProblemDetails>("POST", "/api/payments/subscriptions", {
      as: subscriber,
      body: { planId },
    });
    expect(refused.status).toBe(422);
    expect(fieldPaths(refused.body)).toEqual(["price.currency"]);
    const { rows } = await db.query("select 1 from payments.subscriptions where user_id = $1", [subscriber.userId]);
    expect(rows).toHaveLength(0);
  });
});
