import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CourseEditorsRpc, CoursesRpc } from "@platform/contracts";
import { api } from "../../../test/support/api.ts";
import { publishedCourse } from "../../../test/support/courses.ts";
import { admin, instructor, learner } from "../../../test/support/people.ts";
import { bindTo } from "../../../test/support/service-binding.ts";

/**
 * The courses RPC the progress service calls, over a real service binding to the running worker:
 * `courseOutline`, `outlineOfLesson`, `learnerCourses` and `mayEditCourse` answer result unions
 * (RPC carries no error classes), and what they read is progress-reads.routes.test.ts's.
 */
type ProgressFacing = CoursesRpc & CourseEditorsRpc;
let connection: Awaited<ReturnType<typeof bindTo<ProgressFacing>>> | undefined;
let courses: ProgressFacing;

beforeAll(async () => {
  connection = await bindTo<ProgressFacing>("platform-courses");
  courses = connection.binding;
});
afterAll(async () => {
  await connection?.dispose();
});

describe("COURSES RPC for progress", () => {
  it("outlines by course and by lesson, a learner's grants, and who may edit", async () => {
    const author = await instructor("progress-rpc-author");
    const course = await publishedCourse(author, { price: null });
    const outline = await courses.courseOutline(course.id);
    if (!outline.ok) throw new Error(`courseOutline answered ${outline.code}`);
    expect(outline.value.lessons.map((lesson) => lesson.title)).toEqual([
      "Preview lesson",
      "Second lesson",
      "Third lesson",
    ]);
    const [, second] = outline.value.lessons;
    expect(await courses.outlineOfLesson(second?.id ?? "")).toEqual({
      ok: true,
      value: { ...outline.value, readAt: expect.any(String) },
    });
    expect(await courses.courseOutline("01a2f0ff-0000-7000-8000-00000000dead")).toEqual({
      ok: false,
      code: "not-found",
    });

    const someone = await learner("progress-rpc-learner");
    expect(await courses.learnerCourses(someone.userId)).toEqual({
      ok: true,
      value: { grants: [], subscribed: false },
    });
    expect((await api("POST", `/api/courses/${course.id}/enroll`, { token: someone.token })).status).toBe(201);
    expect(await courses.learnerCourses(someone.userId)).toEqual({
      ok: true,
      value: {
        grants: [
          expect.objectContaining({
            courseId: course.id,
            slug: course.slug,
            via: ["free_enrollment"],
            status: "published",
          }),
        ],
        subscribed: false,
      },
    });

    const anAdmin = await admin("progress-rpc-admin");
    const otherAuthor = await instructor("progress-rpc-other");
    const callerOf = (person: { userId: string }, roles: string[]) => ({ userId: person.userId, roles });
    expect(await courses.mayEditCourse(callerOf(author, ["instructor"]), course.id)).toEqual({ ok: true, value: true });
    expect(await courses.mayEditCourse(callerOf(anAdmin, ["admin"]), course.id)).toEqual({ ok: true, value: true });
    expect(await courses.mayEditCourse(callerOf(otherAuthor, ["instructor"]), course.id)).toEqual({
      ok: true,
      value: false,
    });
    // The author's id without the instructor role (a demoted account) may not.
    expect(await courses.mayEditCourse(callerOf(author, ["learner"]), course.id)).toEqual({ ok: true, value: false });
    expect(
      await courses.mayEditCourse(callerOf(author, ["instructor"]), "01a2f0ff-0000-7000-8000-00000000dead"),
    ).toEqual({
      ok: false,
      code: "not-found",
    });
  });
});
