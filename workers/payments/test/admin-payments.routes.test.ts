import pg from "pg";
import { v7 as uuidv7 } from "uuid";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { ProblemDetails } from "@platform/http-kit";
import { inProcess, principal, type Principal } from "../../../test/support/in-process.ts";
import { expectPermissionMatrix, type MatrixRow } from "../../../test/support/permission-matrix.ts";
import { app } from "../src/app.ts";

/**
 * `GET /api/payments`, the admins' list of every course purchase, in-process against the real
 * payments schema: newest first, filtered by status, buyer and course, paged by cursor; invalid
 * queries named; only admins. Refunding what it lists is refunds.platform.test.ts and the admin
 * console's browser test.
 */
interface AdminPurchase {
  readonly id: string;
  readonly userId: string;
  readonly courseId: string;
  readonly status: string;
  readonly price: { amountMinor: number; currency: string };
}
interface Page {
  readonly items: AdminPurchase[];
  readonly nextCursor: string | null;
}

const db = new pg.Pool({ connectionString: inject("routesDatabaseUrl") });
afterAll(() => db.end());
const payments = inProcess(app);
const admin = principal("admin");

/** A purchase row as checkout and the webhooks leave it (ids in creation order, as UUIDv7 are). */
async function purchase(userId: string, courseId: string, status: string, amountMinor = 4900): Promise<string> {
  const id = uuidv7();
  await db.query(
    `insert into payments.payments (id, user_id, course_id, description, amount_minor, currency, provider, status)
     values ($1, $2, $3, 'A course', $4, 'EUR', 'sandbox', $5)`,
    [id, userId, courseId, amountMinor, status],
  );
  return id;
}

const buyer = principal("learner");
const otherBuyer = principal("learner");
const courseId = uuidv7();
const otherCourseId = uuidv7();
let ids: { paid: string; pending: string; refunded: string; elsewhere: string; otherBuyers: string };
beforeAll(async () => {
  ids = {
    paid: await purchase(buyer.userId, courseId, "paid"),
    pending: await purchase(buyer.userId, otherCourseId, "pending"),
    refunded: await purchase(buyer.userId, courseId, "refunded", 5900),
    elsewhere: await purchase(buyer.userId, otherCourseId, "paid"),
    otherBuyers: await purchase(otherBuyer.userId, courseId, "paid"),
  };
});

const list = (query: string, as: Principal = admin) => payments.request<Page>("GET", `/api/payments?${query}`, { as });

describe("GET /api/payments", () => {
  it("lists a buyer's purchases newest first, each with its buyer, status and price", async () => {
    const page = await list(`userId=${buyer.userId}`);
    expect(page.status).toBe(200);
    expect(page.body.items.map((item) => item.id)).toEqual([ids.elsewhere, ids.refunded, ids.pending, ids.paid]);
    expect(page.body.items.every((item) => item.userId === buyer.userId)).toBe(true);
    expect(page.body.items.find((item) => item.id === ids.refunded)).toMatchObject({
      status: "refunded",
      courseId,
      price: { amountMinor: 5900, currency: "EUR" },
    });
    expect(page.body.nextCursor).toBeNull();
  });

  it("filters by status and by course, and the filters combine", async () => {
    const paid = await list(`userId=${buyer.userId}&status=paid`);
    expect(paid.body.items.map((item) => item.id)).toEqual([ids.elsewhere, ids.paid]);
    const ofCourse = await list(`courseId=${courseId}`);
    expect(ofCourse.body.items.map((item) => item.id)).toEqual([ids.otherBuyers, ids.refunded, ids.paid]);
    const both = await list(`courseId=${courseId}&status=paid&userId=${otherBuyer.userId}`);
    expect(both.body.items.map((item) => item.id)).toEqual([ids.otherBuyers]);
  });

  it("pages with the cursor it gives, without repeating or skipping a purchase", async () => {
    const first = await list(`userId=${buyer.userId}&limit=3`);
    expect(first.body.items).toHaveLength(3);
    expect(first.body.nextCursor).toBe(ids.pending);
    const second = await list(`userId=${buyer.userId}&limit=3&cursor=${first.body.nextCursor}`);
    expect(second.body.items.map((item) => item.id)).toEqual([ids.paid]);
    expect(second.body.nextCursor).toBeNull();
  });

  it.each([
    ["status=bogus", "query.status"],
    ["userId=not-a-uuid", "query.userId"],
    ["courseId=42", "query.courseId"],
    ["cursor=nope", "query.cursor"],
    ["limit=0", "query.limit"],
    ["limit=101", "query.limit"],
  ])("refuses ?%s with 400 naming %s", async (query, path) => {
    const refused = await payments.request<ProblemDetails>("GET", `/api/payments?${query}`, { as: admin });
    expect(refused.status).toBe(400);
    expect(refused.headers.get("content-type")).toContain("application/problem+json");
    expect((refused.body.errors ?? []).map((error) => error.path)).toContain(path);
  });

  it("is for admins only: anonymous 401, learners and instructors 403 (even the buyer), before the query is read", async () => {
    const callers = ["anonymous", "buyer", "instructor", "admin"] as const;
    type Caller = (typeof callers)[number];
    const who: Record<Caller, Principal | undefined> = {
      anonymous: undefined,
      buyer,
      instructor: principal("instructor"),
      admin,
    };
    const rows: MatrixRow<Caller>[] = [
      {
        request: { method: "GET", path: `/api/payments?userId=${buyer.userId}` },
        expect: { anonymous: 401, buyer: 403, instructor: 403, admin: 200 },
      },
      {
        request: { method: "GET", path: "/api/payments?status=bogus&limit=0" },
        expect: { anonymous: 401, buyer: 403, instructor: 403, admin: 400 },
      },
    ];
    await expectPermissionMatrix({
      callers,
      rows,
      send: (request, caller) => payments.request(request.method, request.path, { as: who[caller] }),
    });
  });
});
