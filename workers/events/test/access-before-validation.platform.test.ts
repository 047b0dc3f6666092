import { beforeAll, describe, expect, it } from "vitest";
import { api } from "../../../test/support/api.ts";
import { admin, learner, type Person } from "../../../test/support/people.ts";

/**
 * Who before what: the kit checks the caller before the route's validators run, so an anonymous
 * caller gets 401 and a learner 403 however wrong the request is (never a 400 listing the schema),
 * and only an admin is told which fields are wrong.
 */
type Problem = { type: string; status: number; errors?: { path: string; message: string }[] };

interface InvalidRequest {
  readonly method: string;
  readonly path: string;
  /** The field errors an admin is shown. */
  readonly fields: readonly string[];
}

/** The dead letters are for admins only. */
const adminRoutes: Record<string, InvalidRequest> = {
  "GET /api/events/dead-letters": {
    method: "GET",
    path: "/api/events/dead-letters?limit=0&cursor=nope",
    fields: ["query.limit", "query.cursor"],
  },
  "POST /api/events/dead-letters/{id}/replay": {
    method: "POST",
    path: "/api/events/dead-letters/not-a-uuid/replay",
    fields: ["param.id"],
  },
};

let someone: Person;
let operator: Person;

beforeAll(async () => {
  [someone, operator] = await Promise.all([learner("abv-events-learner"), admin("abv-events-admin")]);
});

const send = (request: InvalidRequest, token?: string) =>
  api<Problem>(request.method, request.path, token ? { token } : {});

describe.each(Object.entries(adminRoutes))("%s (admins)", (_name, request) => {
  it("answers an anonymous caller with an invalid request 401, without the schema", async () => {
    const response = await send(request);
    expect(response.status).toBe(401);
    expect(response.body.type).toBe("/problems/unauthorized");
    expect(response.body.errors).toBeUndefined();
  });

  it("answers a learner with an invalid request 403, without the schema", async () => {
    const response = await send(request, someone.token);
    expect(response.status).toBe(403);
    expect(response.body.type).toBe("/problems/forbidden");
    expect(response.body.errors).toBeUndefined();
  });

  it("answers an admin with the invalid request 400, with its field errors", async () => {
    const response = await send(request, operator.token);
    expect(response.status).toBe(400);
    expect(response.body.type).toBe("/problems/validation-failed");
    expect(response.body.errors?.map((error) => error.path)).toEqual(expect.arrayContaining([...request.fields]));
  });
});
