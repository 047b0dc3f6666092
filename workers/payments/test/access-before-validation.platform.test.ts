import { beforeAll, describe, expect, it } from "vitest";
import { api } from "../../../test/support/api.ts";
import { admin, learner, type Person } from "../../../test/support/people.ts";

/**
 * Who before what: the kit checks the caller before the route's validators run, so an anonymous
 * caller gets 401 and a learner 403 however wrong the request is (never a 400 listing the schema),
 * and only a permitted caller is told which fields are wrong.
 */
type Problem = { type: string; status: number; errors?: { path: string; message: string }[] };

interface InvalidRequest {
  readonly method: string;
  readonly path: string;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  /** The field errors a permitted caller is shown. */
  readonly fields: readonly string[];
}

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

const send = (request: InvalidRequest, token?: string) =>
  api<Problem>(request.method, request.path, {
    ...(request.body !== undefined && { body: request.body }),
    ...(request.headers && { headers: request.headers }),
    ...(token && { token }),
  });

describe.each(Object.entries(adminRoutes))("%s (admins)", (_name, request) => {
  it("answers an anonymous caller with an invalid request 401, without the schema", async () => {
    const response = await send(request);
    expect(response.status).toBe(401);
    expect(response.body.type).toBe("/problems/unauthorized");
    expect(response.body.errors).toBeUndefined();
  });

  it("answers a learner with an invalid request 403, without the schema", async () => {
    const response = await send(request, buyer.token);
    expect(response.status).toBe(403);
    expect(response.body.type).toBe("/problems/forbidden");
    expect(response.body.errors).toBeUndefined();
  });

  it("answers an admin with the invalid request 400, with its field errors", async () => {
    const response = await send(request, manager.token);
    expect(response.status).toBe(400);
    expect(response.body.type).toBe("/problems/validation-failed");
    expect(response.body.errors?.map((error) => error.path)).toEqual(expect.arrayContaining([...request.fields]));
  });
});

describe.each(Object.entries(signedInRoutes))("%s (signed in)", (_name, request) => {
  it("answers an anonymous caller with an invalid request 401, without the schema", async () => {
    const response = await send(request);
    expect(response.status).toBe(401);
    expect(response.body.type).toBe("/problems/unauthorized");
    expect(response.body.errors).toBeUndefined();
  });

  it("answers a signed-in caller with the invalid request 400, with its field errors", async () => {
    const response = await send(request, buyer.token);
    expect(response.status).toBe(400);
    expect(response.body.type).toBe("/problems/validation-failed");
    expect(response.body.errors?.map((error) => error.path)).toEqual(expect.arrayContaining([...request.fields]));
  });
});
