import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_COURSES, DEMO_USERS } from "@platform/dev-stack";
import { api } from "../../../test/support/api.ts";
import { publishedCourse, type CourseBody } from "../../../test/support/courses.ts";
import { db } from "../../../test/support/database.ts";
import { instructor, learner, type Person } from "../../../test/support/people.ts";
import { PUBLIC_READ } from "../src/routes/cache-headers.ts";

/**
 * Through the gateway, on the started stack: the demo catalog (written by SQL, folded by the
 * backfill) is found by word prefix and without accents, as the issue asked (`q=postgres` found
 * nothing); and a course page's syllabus names its instructor as the real users worker tells it,
 * over the courses worker's `USERS` service binding.
 */
let author: Person;
beforeAll(async () => {
  author = await instructor("syllabus-author");
});
afterAll(() => db.end());

interface Page {
  items: CourseBody[];
  nextCursor: string | null;
}
interface Syllabus {
  courseId: string;
  instructor: { id: string; name: string | null };
  sections: unknown[];
  lessons: { title: string; kind: string; isPreview: boolean; durationSeconds: number | null }[];
}

const demoPostgres = DEMO_COURSES.find((course) => course.slug === "postgres-for-app-developers");
const demoInstructor = DEMO_USERS.find((user) => user.email === "instructor@demo.local");

describe("the demo catalog's search", () => {
  it("finds PostgreSQL by `postgres`, and by any prefix, case or accent", async () => {
    for (const q of ["postgres", "Postgre", "POSTGRESQL application", "pöstgres dévelop"]) {
      const page = await api<Page>("GET", `/api/courses?q=${encodeURIComponent(q)}`);
      expect(page.status, q).toBe(200);
      expect(
        page.body.items.map((item) => item.slug),
        q,
      ).toContain(demoPostgres?.slug);
    }
    const none = await api<Page>("GET", "/api/courses?q=gres");
    expect(none.body.items.map((item) => item.slug)).not.toContain(demoPostgres?.slug);
  });

  it("orders by learners with sort=popular: an older course with a learner comes before a newer one without", async () => {
    const word = `popular${Date.now()
      .toString(36)
      .replace(/\d/g, (digit) => "abcdefghij"[Number(digit)] ?? "")}`;
    const older = await publishedCourse(author, { title: `Older ${word}`, price: null });
    const newer = await publishedCourse(author, { title: `Newer ${word}`, price: null });
    const student = await learner("popular-student");
    expect((await api("POST", `/api/courses/${older.id}/enroll`, { token: student.token })).status).toBe(201);
    const ids = async (sort: string) =>
      (await api<Page>("GET", `/api/courses?q=${word}&sort=${sort}`)).body.items.map((item) => item.id);
    expect(await ids("newest")).toEqual([newer.id, older.id]);
    expect(await ids("popular")).toEqual([older.id, newer.id]);
  });
});

describe("a course page's syllabus", () => {
  it("names the demo instructor of a demo course, for a visitor signed out", async () => {
    const course = await api<CourseBody>("GET", `/api/courses/by-slug/${demoPostgres?.slug}`);
    expect(course.status).toBe(200);
    const syllabus = await api<Syllabus>("GET", `/api/courses/${course.body.id}/outline`);
    expect(syllabus.status).toBe(200);
    expect(syllabus.body.instructor).toEqual({ id: demoInstructor?.id, name: demoInstructor?.name });
    expect(syllabus.body.lessons.map((lesson) => [lesson.title, lesson.kind, lesson.isPreview])).toEqual(
      demoPostgres?.lessons.map((lesson) => [lesson.title, "text", lesson.isPreview]),
    );
  });

  it("names a new instructor once their profile exists, is shared, and shows nothing private", async () => {
    const course = await publishedCourse(author, { price: { amountMinor: 2900, currency: "EUR" } });
    await expect
      .poll(async () => (await api<Syllabus>("GET", `/api/courses/${course.id}/outline`)).body.instructor, {
        timeout: 10_000,
        interval: 200,
      })
      .toEqual({ id: author.userId, name: "User syllabus-author" });
    const shared = await api<Syllabus>("GET", `/api/courses/${course.id}/outline`);
    expect([shared.headers.get("x-cache"), shared.headers.get("cache-control")]).toEqual(["hit", PUBLIC_READ]);
    expect(JSON.stringify(shared.body)).not.toMatch(/Body [12]|@|\/media\//);

    // A signed-in learner without access gets the same syllabus, never shared onward by the gateway.
    const visitor = await learner("syllabus-visitor");
    const signedIn = await api<Syllabus>("GET", `/api/courses/${course.id}/outline`, { token: visitor.token });
    expect(signedIn.body).toEqual(shared.body);
    expect(signedIn.headers.get("cache-control")).toContain("private");
  });
});
