import { afterAll, beforeAll } from "vitest";
import { describeAccessBeforeValidation, type InvalidRequest } from "../../../test/support/access-before-validation.ts";
import { db } from "../../../test/support/database.ts";
import { instructor, learner, type Person } from "../../../test/support/people.ts";

/**
 * Who before what: the kit checks the caller before the route's validators run, so an anonymous
 * caller gets 401 and a learner 403 on an authoring route however wrong the request is (never a
 * 400 listing the schema), and only a permitted caller is told what is wrong with it.
 */

const course = "01a2f0ff-0000-7000-8000-000000000000";
const item = "01a2f0ff-0000-7000-8000-000000000001";

/** Every route only instructors and admins may call, each with a request that is not valid. */
const authoring: InvalidRequest[] = [
  { method: "GET", path: "/api/courses/mine?limit=500", fields: ["query.limit"] },
  {
    method: "POST",
    path: "/api/courses",
    body: { title: "x", price: { amountMinor: -1, currency: "eur" } },
    fields: ["json.title"],
  },
  { method: "PATCH", path: `/api/courses/${course}`, body: { slug: "Not A Slug" }, fields: ["json.slug"] },
  { method: "POST", path: "/api/courses/not-a-uuid/publish", fields: ["param.id"] },
  { method: "POST", path: "/api/courses/not-a-uuid/archive", fields: ["param.id"] },
  { method: "POST", path: `/api/courses/${course}/sections`, body: { title: "", extra: true }, fields: ["json.title"] },
  {
    method: "PATCH",
    path: `/api/courses/${course}/sections/not-a-uuid`,
    body: { title: "S" },
    fields: ["param.sectionId"],
  },
  { method: "DELETE", path: `/api/courses/${course}/sections/not-a-uuid`, fields: ["param.sectionId"] },
  {
    method: "PUT",
    path: `/api/courses/${course}/sections/order`,
    body: { sectionIds: [] },
    fields: ["json.sectionIds"],
  },
  {
    method: "POST",
    path: `/api/courses/${course}/lessons`,
    body: { title: "L", kind: "podcast" },
    fields: ["json.kind"],
  },
  {
    method: "PATCH",
    path: `/api/courses/${course}/lessons/${item}`,
    body: { durationSeconds: 0 },
    fields: ["json.durationSeconds"],
  },
  { method: "DELETE", path: `/api/courses/${course}/lessons/not-a-uuid`, fields: ["param.lessonId"] },
  {
    method: "PUT",
    path: `/api/courses/${course}/lessons/order`,
    body: { lessonIds: ["not-a-uuid"] },
    fields: ["json.lessonIds.0"],
  },
  {
    method: "POST",
    path: `/api/courses/${course}/uploads`,
    body: { fileName: "clip.mp4", sizeBytes: 0 },
    fields: ["json.sizeBytes"],
  },
  { method: "GET", path: `/api/courses/${course}/uploads/not-a-uuid`, fields: ["param.uploadId"] },
  { method: "PUT", path: `/api/courses/${course}/uploads/${item}/parts/x`, fields: ["param.partNumber"] },
  {
    method: "POST",
    path: `/api/courses/${course}/uploads/${item}/complete`,
    body: { purpose: "poster" },
    fields: ["json.purpose"],
  },
  { method: "DELETE", path: `/api/courses/${course}/uploads/not-a-uuid`, fields: ["param.uploadId"] },
  { method: "POST", path: "/api/courses/preview-markdown", body: { markdown: 5 }, fields: ["json.markdown"] },
];

let anInstructor: Person;
let aLearner: Person;

beforeAll(async () => {
  [anInstructor, aLearner] = await Promise.all([instructor("abv-instructor"), learner("abv-learner")]);
});
afterAll(() => db.end());

const authoringRoutes = Object.fromEntries(authoring.map((request) => [`${request.method} ${request.path}`, request]));
describeAccessBeforeValidation("instructors and admins", authoringRoutes, {
  refused: () => aLearner.token,
  permitted: () => anInstructor.token,
});

describeAccessBeforeValidation(
  "signed in",
  { "POST /api/courses/{id}/enroll": { method: "POST", path: "/api/courses/not-a-uuid/enroll", fields: ["param.id"] } },
  { permitted: () => aLearner.token },
);
