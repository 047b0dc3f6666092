import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api } from "../../../test/support/api.ts";
import { db } from "../../../test/support/database.ts";
import { instructor, learner, type Person } from "../../../test/support/people.ts";

/**
 * Who before what: the kit checks the caller before the route's validators run, so an anonymous
 * caller gets 401 and a learner 403 on an authoring route however wrong the request is (never a
 * 400 listing the schema), and only a permitted caller is told what is wrong with it.
 */
type Problem = { type: string; status: number; errors?: { path: string; message: string }[] };

interface InvalidRequest {
  readonly method: string;
  readonly path: string;
  readonly body?: unknown;
  /** A field the permitted caller is told about. */
  readonly field: string;
}

const course = "01a2f0ff-0000-7000-8000-000000000000";
const item = "01a2f0ff-0000-7000-8000-000000000001";

/** Every route only instructors and admins may call, each with a request that is not valid. */
const authoring: InvalidRequest[] = [
  { method: "GET", path: "/api/courses/mine?limit=500", field: "query.limit" },
  {
    method: "POST",
    path: "/api/courses",
    body: { title: "x", price: { amountMinor: -1, currency: "eur" } },
    field: "json.title",
  },
  { method: "PATCH", path: `/api/courses/${course}`, body: { slug: "Not A Slug" }, field: "json.slug" },
  { method: "POST", path: "/api/courses/not-a-uuid/publish", field: "param.id" },
  { method: "POST", path: "/api/courses/not-a-uuid/archive", field: "param.id" },
  { method: "POST", path: `/api/courses/${course}/sections`, body: { title: "", extra: true }, field: "json.title" },
  {
    method: "PATCH",
    path: `/api/courses/${course}/sections/not-a-uuid`,
    body: { title: "S" },
    field: "param.sectionId",
  },
  { method: "DELETE", path: `/api/courses/${course}/sections/not-a-uuid`, field: "param.sectionId" },
  { method: "PUT", path: `/api/courses/${course}/sections/order`, body: { sectionIds: [] }, field: "json.sectionIds" },
  { method: "POST", path: `/api/courses/${course}/lessons`, body: { title: "L", kind: "podcast" }, field: "json.kind" },
  {
    method: "PATCH",
    path: `/api/courses/${course}/lessons/${item}`,
    body: { durationSeconds: 0 },
    field: "json.durationSeconds",
  },
  { method: "DELETE", path: `/api/courses/${course}/lessons/not-a-uuid`, field: "param.lessonId" },
  {
    method: "PUT",
    path: `/api/courses/${course}/lessons/order`,
    body: { lessonIds: ["not-a-uuid"] },
    field: "json.lessonIds.0",
  },
  {
    method: "POST",
    path: `/api/courses/${course}/uploads`,
    body: { fileName: "clip.mp4", sizeBytes: 0 },
    field: "json.sizeBytes",
  },
  { method: "GET", path: `/api/courses/${course}/uploads/not-a-uuid`, field: "param.uploadId" },
  { method: "PUT", path: `/api/courses/${course}/uploads/${item}/parts/x`, field: "param.partNumber" },
  {
    method: "POST",
    path: `/api/courses/${course}/uploads/${item}/complete`,
    body: { purpose: "poster" },
    field: "json.purpose",
  },
  { method: "DELETE", path: `/api/courses/${course}/uploads/not-a-uuid`, field: "param.uploadId" },
];

let anInstructor: Person;
let aLearner: Person;

beforeAll(async () => {
  [anInstructor, aLearner] = await Promise.all([instructor("abv-instructor"), learner("abv-learner")]);
});
afterAll(() => db.end());

const send = (request: InvalidRequest, token?: string) =>
  api<Problem>(request.method, request.path, { token, ...(request.body !== undefined && { body: request.body }) });

const cases = authoring.map((request) => [`${request.method} ${request.path}`, request] as const);

describe.each(cases)("%s (instructors and admins)", (_name, request) => {
  it("answers an anonymous caller 401, without field errors", async () => {
    const response = await send(request);
    expect(response.status).toBe(401);
    expect(response.body.type).toBe("/problems/unauthorized");
    expect(response.body.errors).toBeUndefined();
  });

  it("answers a learner 403, without field errors", async () => {
    const response = await send(request, aLearner.token);
    expect(response.status).toBe(403);
    expect(response.body.type).toBe("/problems/forbidden");
    expect(response.body.errors).toBeUndefined();
  });

  it("answers an instructor 400, naming the field", async () => {
    const response = await send(request, anInstructor.token);
    expect(response.status).toBe(400);
    expect(response.body.type).toBe("/problems/validation-failed");
    expect(response.body.errors?.map((error) => error.path)).toContain(request.field);
  });
});

describe("POST /api/courses/{id}/enroll (signed in)", () => {
  const enroll: InvalidRequest = { method: "POST", path: "/api/courses/not-a-uuid/enroll", field: "param.id" };

  it("answers an anonymous caller 401, without field errors", async () => {
    const response = await send(enroll);
    expect(response.status).toBe(401);
    expect(response.body.type).toBe("/problems/unauthorized");
    expect(response.body.errors).toBeUndefined();
  });

  it("answers a learner 400, naming the field", async () => {
    const response = await send(enroll, aLearner.token);
    expect(response.status).toBe(400);
    expect(response.body.type).toBe("/problems/validation-failed");
    expect(response.body.errors?.map((error) => error.path)).toContain(enroll.field);
  });
});
