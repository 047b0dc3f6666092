import { beforeAll } from "vitest";
import { describeAccessBeforeValidation, type InvalidRequest } from "../../../test/support/access-before-validation.ts";
import { admin, learner, type Person } from "../../../test/support/people.ts";

/**
 * Who before what: the kit checks the caller before the route's validators run, so an anonymous
 * caller gets 401 and a learner 403 however wrong the request is (never a 400 listing the schema),
 * and only an admin is told which fields are wrong.
 */

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

describeAccessBeforeValidation("admins", adminRoutes, {
  refused: () => someone.token,
  permitted: () => operator.token,
});
