import pg from "pg";
import { v7 as uuidv7 } from "uuid";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { CourseEditRightsRpc } from "@platform/contracts";
import type { ProblemDetails } from "@platform/http-kit";
import { inProcess, principal, type Principal } from "../../../test/support/in-process.ts";
import { expectPermissionMatrix, type MatrixRow } from "../../../test/support/permission-matrix.ts";
import { app } from "../src/app.ts";

/**
 * `GET /api/payments/revenue`, a course's sales for its author, in-process against the real
 * payments schema: purchases in every state and two currencies summed per course and currency
 * (refunds whole and partial, a dispute, unpaid checkouts left out), and who may ask. The courses
 * service's authoring rule stands behind its contract here; the real one, over the service
 * binding, is revenue.platform.test.ts's.
 */
interface CurrencyRevenue {
  currency: string;
  grossMinor: number;
  refundedMinor: number;
  netMinor: number;
  purchases: number;
  refunds: number;
  disputes: number;
}
interface Revenue {
  courses: { courseId: string; revenue: CurrencyRevenue[] }[];
}

const db = new pg.Pool({ connectionString: inject("routesDatabaseUrl") });
afterAll(() => db.end());

/** The courses service's rule behind its contract: the author holding the instructor role, or an admin. */
const authors = new Map<string, string>();
const courses: { down: boolean } & CourseEditRightsRpc = {
  down: false,
  mayEditCourses: async (caller, courseIds) => {
    if (courses.down) return { ok: false, code: "unavailable" };
    const rights = { editable: [] as string[], notEditable: [] as string[], notFound: [] as string[] };
    for (const id of courseIds) {
      const authorId = authors.get(id);
      const editor =
        caller.roles.includes("admin") || (caller.userId === authorId && caller.roles.includes("instructor"));
      if (authorId === undefined) rights.notFound.push(id);
      else (editor ? rights.editable : rights.notEditable).push(id);
    }
    return { ok: true, value: rights };
  },
};
const payments = inProcess(app, { COURSES: courses });

/** A purchase row as checkout, the webhooks and refunds leave it. */
async function purchase(
  courseId: string,
  status: string,
  price: { amountMinor: number; currency: string },
  amountRefundedMinor = 0,
): Promise<void> {
  await db.query(
    `insert into payments.payments
       (id, user_id, course_id, description, amount_minor, currency, provider, status, amount_refunded_minor)
     values ($1, $2, $3, 'A course', $4, $5, 'sandbox', $6, $7)`,
    [uuidv7(), uuidv7(), courseId, price.amountMinor, price.currency, status, amountRefundedMinor],
  );
}

const author = principal("instructor");
const otherAuthor = principal("instructor");
const admin = principal("admin");
const learner = principal("learner");
const sold = uuidv7();
const unsold = uuidv7();
const othersCourse = uuidv7();
const eur = (amountMinor: number) => ({ amountMinor, currency: "EUR" });
const usd = (amountMinor: number) => ({ amountMinor, currency: "USD" });

beforeAll(async () => {
  authors.set(sold, author.userId).set(unsold, author.userId).set(othersCourse, otherAuthor.userId);
  await purchase(sold, "paid", eur(4900));
  await purchase(sold, "paid", eur(4900));
  // A partial refund leaves the purchase paid, with the amount returned noted.
  await purchase(sold, "paid", eur(4900), 1000);
  await purchase(sold, "refunded", eur(4900), 4900);
  // Refunded by us before Stripe's charge.refunded told the amount: still the whole price.
  await purchase(sold, "refunded", eur(3900));
  // The price changed and the course was sold in another currency; one of those is disputed.
  await purchase(sold, "paid", usd(2500));
  await purchase(sold, "disputed", usd(2500));
  // No money taken: not revenue.
  for (const status of ["pending", "expired", "processing", "failed"]) await purchase(sold, status, eur(4900));
  await purchase(othersCourse, "paid", eur(10000));
});

const revenueOf = (ids: string[], as: Principal = author) =>
  payments.request<Revenue>("GET", `/api/payments/revenue?${ids.map((id) => `courseId=${id}`).join("&")}`, { as });

describe("GET /api/payments/revenue", () => {
  it("sums each course's charged purchases per currency: gross, refunded (whole and partial), net, counts", async () => {
    const answer = await revenueOf([sold, unsold]);
    expect(answer.status).toBe(200);
    expect(answer.headers.get("cache-control")).toBe("private, no-store");
    expect(answer.body).toEqual({
      courses: [
        {
          courseId: sold,
          revenue: [
            {
              currency: "EUR",
              grossMinor: 4 * 4900 + 3900,
              refundedMinor: 1000 + 4900 + 3900,
              netMinor: 3 * 4900 - 1000,
              purchases: 5,
              refunds: 3,
              disputes: 0,
            },
            {
              currency: "USD",
              grossMinor: 5000,
              refundedMinor: 0,
              netMinor: 5000,
              purchases: 2,
              refunds: 0,
              disputes: 1,
            },
          ],
        },
        { courseId: unsold, revenue: [] },
      ],
    });
  });

  it("answers the courses in the order asked, a repeated id once", async () => {
    const answer = await revenueOf([unsold, sold, unsold]);
    expect(answer.status).toBe(200);
    expect(answer.body.courses.map((course) => course.courseId)).toEqual([unsold, sold]);
  });

  it("lets an admin see any author's course", async () => {
    const answer = await revenueOf([othersCourse, sold], admin);
    expect(answer.status).toBe(200);
    expect(answer.body.courses[0]).toEqual({
      courseId: othersCourse,
      revenue: [
        {
          currency: "EUR",
          grossMinor: 10000,
          refundedMinor: 0,
          netMinor: 10000,
          purchases: 1,
          refunds: 0,
          disputes: 0,
        },
      ],
    });
  });

  it("refuses another author's course with 403 naming it, even beside the caller's own, and shows nothing", async () => {
    const refused = await payments.request<ProblemDetails & Partial<Revenue>>(
      "GET",
      `/api/payments/revenue?courseId=${sold}&courseId=${othersCourse}`,
      { as: author },
    );
    expect(refused.status).toBe(403);
    expect(refused.headers.get("content-type")).toContain("application/problem+json");
    expect(refused.body.errors).toEqual([{ path: "query.courseId.1", message: "Not your course" }]);
    expect(refused.body.courses).toBeUndefined();
    const byTheOther = await revenueOf([sold], otherAuthor);
    expect(byTheOther.status).toBe(403);
  });

  it("answers 404 for a course that does not exist, naming it", async () => {
    const missing = uuidv7();
    const answer = await payments.request<ProblemDetails>(
      "GET",
      `/api/payments/revenue?courseId=${sold}&courseId=${missing}`,
      { as: admin },
    );
    expect(answer.status).toBe(404);
    expect(answer.body.errors).toEqual([{ path: "query.courseId.1", message: "No such course" }]);
  });

  it("answers 503 when the courses service cannot say who may see the figures", async () => {
    courses.down = true;
    try {
      const answer = await payments.request<ProblemDetails>("GET", `/api/payments/revenue?courseId=${sold}`, {
        as: author,
      });
      expect(answer.status).toBe(503);
      expect(answer.headers.get("retry-after")).toBe("1");
    } finally {
      courses.down = false;
    }
  });

  const fiftyOne = Array.from({ length: 51 }, () => `courseId=${uuidv7()}`).join("&");
  it.each([
    ["", "query.courseId"],
    ["courseId=42", "query.courseId.0"],
    [`courseId=${uuidv7()}&courseId=not-a-uuid`, "query.courseId.1"],
    [fiftyOne, "query.courseId"],
  ])("refuses ?%s with 400 naming %s", async (query, path) => {
    const refused = await payments.request<ProblemDetails>("GET", `/api/payments/revenue?${query}`, { as: author });
    expect(refused.status).toBe(400);
    expect(refused.headers.get("content-type")).toContain("application/problem+json");
    expect((refused.body.errors ?? []).map((error) => error.path)).toContain(path);
  });

  it("is for instructors and admins: anonymous 401, learners 403 before the query is read", async () => {
    const callers = ["anonymous", "learner", "author", "admin"] as const;
    type Caller = (typeof callers)[number];
    const who: Record<Caller, Principal | undefined> = { anonymous: undefined, learner, author, admin };
    const rows: MatrixRow<Caller>[] = [
      {
        request: { method: "GET", path: `/api/payments/revenue?courseId=${sold}` },
        expect: { anonymous: 401, learner: 403, author: 200, admin: 200 },
      },
      {
        request: { method: "GET", path: "/api/payments/revenue?courseId=bogus" },
        expect: { anonymous: 401, learner: 403, author: 400, admin: 400 },
      },
    ];
    await expectPermissionMatrix({
      callers,
      rows,
      send: (request, caller) => payments.request(request.method, request.path, { as: who[caller] }),
    });
  });
});
