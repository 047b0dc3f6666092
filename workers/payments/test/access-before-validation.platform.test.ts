import { beforeAll } from "vitest";
import { describeAccessBeforeValidation, type InvalidRequest } from "../../../test/support/access-before-validation.ts";
import { admin, learner, type Person } from "../../../test/support/people.ts";

/**
 * Who before what: the kit checks the caller before the route's validators run, so an anonymous
 * caller gets 401 and a learner 403 however wrong the request is (never a 400 listing the schema),
 * and only a permitted caller is told which fields are wrong.
 */

const someId = "01a2f002-0000-7000-8000-000000000000";

/** Admins only. */
const adminRoutes: Record<string, InvalidRequest> = {
  "POST /api/payments/plans": {
    method: "POST",
    path: "/api/payments/plans",
    body: { name: "", interval: "weekly", price: { amountMinor: 10, currency: "euro" } },
    fields: ["json.name", "json.interval", "json.price.amountMinor", "json.price.currency"],
  },
  "PATCH /api/payments/plans/{id}": {
    method: "PATCH",
    path: `/api/payments/plans/${someId}`,
    body: { name: "", price: { amountMinor: 10, currency: "EUR" } },
    fields: ["json.name", "json.price.amountMinor"],
  },
  "GET /api/payments/mismatches": {
    method: "GET",
    path: "/api/payments/mismatches?status=everything&limit=0",
    fields: ["query.status", "query.limit"],
  },
  "POST /api/payments/mismatches/{id}/resolve": {
    method: "POST",
    path: `/api/payments/mismatches/${someId}/resolve`,
    body: { resolution: "approved", note: "" },
    fields: ["json.resolution", "json.note"],
  },
};

/** Instructors and admins (whose course it is is decided after validation). */
const authorRoutes: Record<string, InvalidRequest> = {
  "GET /api/payments/revenue": {
    method: "GET",
    path: "/api/payments/revenue?courseId=not-a-uuid",
    fields: ["query.courseId.0"],
  },
};

/** Anyone signed in. */
const signedInRoutes: Record<string, InvalidRequest> = {
  "POST /api/payments/subscriptions": {
    method: "POST",
    path: "/api/payments/subscriptions",
    body: { planId: "not-a-uuid" },
    fields: ["json.planId"],
  },
  "POST /api/payments/courses/{id}": {
    method: "POST",
    path: "/api/payments/courses/not-a-uuid",
    fields: ["param.id"],
  },
  "POST /api/payments/courses/{id} (Idempotency-Key)": {
    method: "POST",
    path: `/api/payments/courses/${someId}`,
    headers: { "idempotency-key": "has spaces in it" },
    fields: ["header.idempotency-key"],
  },
  "DELETE /api/payments/subscriptions/{id}": {
    method: "DELETE",
    path: "/api/payments/subscriptions/not-a-uuid",
    fields: ["param.id"],
  },
  "POST /api/payments/{id}/refund": {
    method: "POST",
    path: "/api/payments/not-a-uuid/refund",
    fields: ["param.id"],
  },
  "GET /api/payments/me": {
    method: "GET",
    path: "/api/payments/me?limit=0",
    fields: ["query.limit"],
  },
};

let buyer: Person;
let manager: Person;

beforeAll(async () => {
  [buyer, manager] = await Promise.all([learner("abv-payments-learner"), admin("abv-payments-admin")]);
});

describeAccessBeforeValidation("admins", adminRoutes, { refused: () => buyer.token, permitted: () => manager.token });
describeAccessBeforeValidation("instructors and admins", authorRoutes, {
  refused: () => buyer.token,
  permitted: () => manager.token,
});
describeAccessBeforeValidation("signed in", signedInRoutes, { permitted: () => buyer.token });
