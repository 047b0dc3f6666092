import { v7 as uuidv7 } from "uuid";
import { afterAll, describe, it } from "vitest";
import { principal, type Principal } from "../../../test/support/in-process.ts";
import { expectPermissionMatrix } from "../../../test/support/permission-matrix.ts";
import { database, progressApp } from "./support/progress-app.ts";
import { the } from "./support/the.ts";

/**
 * Who may call the progress routes of this file's worker (live, certificates and analytics have
 * their own tests). Who before what: an anonymous caller gets 401 whatever the body; a signed-in
 * one without access to the course gets 403 before a body past the lesson's end is looked at;
 * only then is the input judged.
 */
const { client, courses } = progressApp();
afterAll(() => database.end());

type Caller = "anonymous" | "enrolled" | "stranger" | "admin";

describe("permission matrix", () => {
  it("the progress routes, for each kind of caller", async () => {
    const course = courses.course([{ durationSeconds: 60 }, { isPreview: true }]);
    const [paid, preview] = course.lessons;
    const people: Record<Exclude<Caller, "anonymous">, Principal> = {
      enrolled: principal("learner"),
      stranger: principal("learner"),
      // An admin records progress only as a learner would: access comes from a grant, not the role.
      admin: principal("admin"),
    };
    courses.grant(people.enrolled.userId, course);
    const lesson = (id: string) => `/api/progress/lessons/${id}`;

    await expectPermissionMatrix<Caller>({
      callers: ["anonymous", "enrolled", "stranger", "admin"],
      rows: [
        {
          request: { method: "POST", path: lesson(the(paid).id), body: { event: "viewed" } },
          expect: { anonymous: 401, enrolled: 200, stranger: 403, admin: 403 },
        },
        {
          request: { method: "POST", path: lesson(the(paid).id), body: { event: "position", positionSeconds: 61 } },
          expect: { anonymous: 401, enrolled: 400, stranger: 403, admin: 403 },
        },
        {
          request: { method: "POST", path: lesson(the(paid).id), body: { event: "position", positionSeconds: -1 } },
          expect: { anonymous: 401, enrolled: 400, stranger: 400, admin: 400 },
        },
        {
          request: { method: "POST", path: lesson(the(preview).id), body: { event: "completed" } },
          expect: { anonymous: 401, enrolled: 200, stranger: 200, admin: 200 },
        },
        {
          request: { method: "POST", path: lesson(uuidv7()), body: { event: "viewed" } },
          expect: { anonymous: 401, enrolled: 404, stranger: 404, admin: 404 },
        },
        {
          request: { method: "GET", path: `/api/progress/courses/${course.id}` },
          expect: { anonymous: 401, enrolled: 200, stranger: 200, admin: 200 },
        },
        {
          request: { method: "GET", path: "/api/progress/me" },
          expect: { anonymous: 401, enrolled: 200, stranger: 200, admin: 200 },
        },
      ],
      send: (request, caller) =>
        client.request(request.method, request.path, {
          ...(caller !== "anonymous" && { as: people[caller] }),
          ...(request.body !== undefined && { body: request.body }),
        }),
    });
  });
});
