import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CoursesRpc } from "@platform/contracts";
import { api } from "../../../test/support/api.ts";
import { db } from "../../../test/support/database.ts";
import { instructor, learner } from "../../../test/support/people.ts";
import { publishedCourse } from "../../../test/support/courses.ts";
import { bindTo } from "../../../test/support/service-binding.ts";

/** `courses.hasAccess` and `courseForSale` as other workers call them: RPC over a real service binding. */
let connection: Awaited<ReturnType<typeof bindTo<CoursesRpc>>> | undefined;
let courses: CoursesRpc;

beforeAll(async () => {
  connection = await bindTo<CoursesRpc>("platform-courses");
  courses = connection.binding;
});
afterAll(async () => {
  await connection?.dispose();
  await db.end();
});

describe("COURSES RPC", () => {
  it("hasAccess is false before a free enrollment and true after; courseForSale describes the course", async () => {
    const author = await instructor("rpc-author");
    const course = await publishedCourse(author, { price: null });
    const someone = await learner("rpc-learner");
    expect(await courses.hasAccess(someone.userId, course.id)).toBe(false);
    expect((await api("POST", `/api/courses/${course.id}/enroll`, { token: someone.token })).status).toBe(201);
    expect(await courses.hasAccess(someone.userId, course.id)).toBe(true);
    expect(await courses.hasAccess(author.userId, course.id)).toBe(false);

    expect(await courses.courseForSale(course.id)).toEqual({
      id: course.id,
      title: "A course to learn from",
      slug: course.slug,
      status: "published",
      price: null,
    });
    expect(await courses.courseForSale("01a2f0ff-0000-7000-8000-00000000dead")).toBeUndefined();
  });
});
