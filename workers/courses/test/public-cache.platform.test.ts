import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api } from "../../../test/support/api.ts";
import { db } from "../../../test/support/database.ts";
import { publishedCourse, uniqueSlug, type CourseBody } from "../../../test/support/courses.ts";
import { instructor, learner, type Person } from "../../../test/support/people.ts";
import { PERSONAL_READ, PUBLIC_READ } from "../src/routes/cache-headers.ts";

/**
 * The shared cache in the real runtime, through the gateway: workerd's KV, the isolate's memory
 * in front of it, the KV write after the answer (`waitUntil`), and the gateway in front. A
 * published course's page and anonymous outline are shared and public; a learner's own view is
 * not; an author's change is seen within a second.
 */
let author: Person;
beforeAll(async () => {
  author = await instructor("cache-author");
});
afterAll(() => db.end());

type Outline = { access: "full" | "preview"; lessons: Array<{ title: string; locked: boolean; html: string | null }> };
const WITHIN_A_SECOND = { timeout: 3_000, interval: 100 } as const;
const headersOf = (answer: { headers: Headers }) => [
  answer.headers.get("x-cache"),
  answer.headers.get("cache-control"),
];

describe("public reads through the gateway", () => {
  it("shares an anonymous outline and a course page, never a learner's own view, and shows an edit within a second", async () => {
    const course = await publishedCourse(author, { price: null });
    // The course's own events (lessons added, published) come back to this worker through the Queue and move
    // its cache version on when they arrive: wait until every subscriber has them, or a read between two of
    // those arrivals sees a miss where a hit is meant.
    await expect
      .poll(
        async () => {
          const { rows } = await db.query<{ pending: number }>(
            `select count(*)::int as pending from courses.outbox
            where confirmed_at is null and (aggregate_id = $1 or envelope->'data'->>'courseId' = $1)`,
            [course.id],
          );
          return rows[0]?.pending;
        },
        { timeout: 30_000, interval: 100 },
      )
      .toBe(0);
    const outlinePath = `/api/courses/${course.id}/lessons`;
    const first = await api<Outline>("GET", outlinePath);
    expect(headersOf(first)).toEqual(["miss", PUBLIC_READ]);
    const second = await api<Outline>("GET", outlinePath);
    expect(headersOf(second)).toEqual(["hit", PUBLIC_READ]);
    expect(second.body).toEqual(first.body);
    expect(second.body.lessons.map((lesson) => lesson.locked)).toEqual([false, true, true]);

    const student = await learner("cache-student");
    expect((await api("POST", `/api/courses/${course.id}/enroll`, { token: student.token })).status).toBe(201);
    const own = await api<Outline>("GET", outlinePath, { token: student.token });
    expect(own.headers.get("x-cache")).toBe("bypass");
    expect(own.headers.get("cache-control")).toContain("no-store");
    expect(own.body.access).toBe("full");
    expect(own.body.lessons.every((lesson) => !lesson.locked && lesson.html !== null)).toBe(true);

    const pagePath = `/api/courses/${course.id}`;
    await api("GET", pagePath);
    expect(headersOf(await api("GET", pagePath))).toEqual(["hit", PUBLIC_READ]);
    const edited = await api("PATCH", pagePath, { token: author.token, body: { title: "Retitled at the edge" } });
    expect(edited.status).toBe(200);
    await expect
      .poll(async () => (await api<CourseBody>("GET", pagePath)).body.title, WITHIN_A_SECOND)
      .toBe("Retitled at the edge");
    await expect
      .poll(
        async () => (await api<CourseBody>("GET", `/api/courses/by-slug/${course.slug}`)).body.title,
        WITHIN_A_SECOND,
      )
      .toBe("Retitled at the edge");

    const { rows } = await db.query<{ id: string }>(
      "select id from courses.lessons where course_id = $1 order by position limit 1",
      [course.id],
    );
    await api("PATCH", `/api/courses/${course.id}/lessons/${rows[0]?.id}`, {
      token: author.token,
      body: { bodyMarkdown: "Changed *preview*." },
    });
    await expect
      .poll(async () => (await api<Outline>("GET", outlinePath)).body.lessons[0]?.html, WITHIN_A_SECOND)
      .toBe("<p>Changed <em>preview</em>.</p>\n");
  });

  it("answers an author's draft privately and never caches it", async () => {
    const created = await api<CourseBody>("POST", "/api/courses", {
      token: author.token,
      body: { title: "Never cached draft", slug: uniqueSlug("never-cached"), summary: "Draft.", price: null },
    });
    expect(created.status).toBe(201);
    const own = await api("GET", `/api/courses/${created.body.id}`, { token: author.token });
    expect(own.status).toBe(200);
    expect(headersOf(own)).toEqual(["bypass", PERSONAL_READ]);
    expect((await api("GET", `/api/courses/${created.body.id}`)).status).toBe(404);
    expect((await api("GET", `/api/courses/by-slug/${created.body.slug}`)).status).toBe(404);
    expect((await api("GET", `/api/courses/${created.body.id}/lessons`)).status).toBe(404);
  });
});
