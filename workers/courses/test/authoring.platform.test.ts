import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api } from "../../../test/support/api.ts";
import { db } from "../../../test/support/database.ts";
import { admin, instructor, learner, type Person } from "../../../test/support/people.ts";
import { uniqueSlug, type CourseBody } from "../../../test/support/courses.ts";

/** Authoring over HTTP through the gateway: courses, sections, lessons, ordering, publication, permissions. */
let author: Person;
let otherInstructor: Person;
let anAdmin: Person;
let aLearner: Person;

beforeAll(async () => {
  [author, otherInstructor, anAdmin, aLearner] = await Promise.all([
    instructor("author"),
    instructor("other-instructor"),
    admin("course-admin"),
    learner("course-learner"),
  ]);
});
afterAll(() => db.end());

async function draft(owner: Person = author, body: Record<string, unknown> = {}) {
  const created = await api<CourseBody>("POST", "/api/courses", {
    token: owner.token,
    body: {
      title: "Draft course",
      slug: uniqueSlug("draft"),
      summary: "A summary.",
      price: { amountMinor: 1900, currency: "EUR" },
      ...body,
    },
  });
  expect(created.status).toBe(201);
  return created.body;
}

async function lessonIn(course: CourseBody, title = "A lesson", token = author.token) {
  const added = await api<{ id: string; position: number }>("POST", `/api/courses/${course.id}/lessons`, {
    token,
    body: { title, kind: "text", bodyMarkdown: `About ${title}.` },
  });
  expect(added.status).toBe(201);
  return added.body;
}

describe("POST /api/courses", () => {
  it("creates a draft with a slug from the title, records COURSE_CREATED, and shows it only to its author", async () => {
    const created = await api<CourseBody>("POST", "/api/courses", {
      token: author.token,
      body: { title: `Édge Ärchitecture ${Date.now()}`, price: null },
      headers: { "x-correlation-id": "create-course-1" },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get("location")).toBe(`/api/courses/${created.body.id}`);
    expect(created.body).toMatchObject({ status: "draft", price: null, authorId: author.userId });
    expect(created.body.slug).toMatch(/^edge-architecture-\d+$/);
    const { rows } = await db.query(
      "select type, envelope->'metadata'->>'correlationId' as cid from courses.outbox where aggregate_id = $1",
      [created.body.id],
    );
    expect(rows).toEqual([{ type: "COURSE_CREATED", cid: "create-course-1" }]);

    expect((await api("GET", `/api/courses/${created.body.id}`, { token: author.token })).status).toBe(200);
    expect((await api("GET", `/api/courses/${created.body.id}`, { token: anAdmin.token })).status).toBe(200);
    expect((await api("GET", `/api/courses/${created.body.id}`, { token: aLearner.token })).status).toBe(404);
    expect((await api("GET", `/api/courses/${created.body.id}`)).status).toBe(404);
  });

  it("refuses a slug another course has (409) and leaves nothing behind", async () => {
    const first = await draft();
    const before = await db.query("select count(*)::int as n from courses.courses");
    const clash = await api("POST", "/api/courses", {
      token: author.token,
      body: { title: "Another", slug: first.slug, price: null },
    });
    expect(clash.status).toBe(409);
    expect(clash.headers.get("content-type")).toContain("application/problem+json");
    const after = await db.query("select count(*)::int as n from courses.courses");
    expect(after.rows[0].n).toBe(before.rows[0].n);
    const patched = await api("PATCH", `/api/courses/${(await draft()).id}`, {
      token: author.token,
      body: { slug: first.slug },
    });
    expect(patched.status).toBe(409);
  });

  it.each([
    [{ title: "x", price: null }, "json.title"],
    [{ title: "Fine title", price: { amountMinor: -1, currency: "EUR" } }, "json.price.amountMinor"],
    [{ title: "Fine title", price: { amountMinor: 100, currency: "eur" } }, "json.price.currency"],
    [{ title: "Fine title", slug: "Not A Slug", price: null }, "json.slug"],
    [{ title: "Fine title" }, "json.price"],
  ])("answers 400 with the field for %j", async (body, path) => {
    const answer = await api<{ errors: Array<{ path: string }> }>("POST", "/api/courses", {
      token: author.token,
      body,
    });
    expect(answer.status).toBe(400);
    expect(answer.body.errors.map((error) => error.path)).toContain(path);
  });

  it("lets only instructors and admins author (learner → 403, signed out → 401)", async () => {
    const body = { title: "Not allowed", price: null };
    expect((await api("POST", "/api/courses", { token: aLearner.token, body })).status).toBe(403);
    expect((await api("POST", "/api/courses", { body })).status).toBe(401);
    expect(
      (await api("POST", "/api/courses", { token: anAdmin.token, body: { ...body, slug: uniqueSlug("admin") } }))
        .status,
    ).toBe(201);
  });
});

describe("the permission matrix for every write route", () => {
  type Write = { name: string; run: (course: CourseBody, token?: string) => Promise<number> };
  const writes: Write[] = [
    {
      name: "PATCH course",
      run: async (c, t) =>
        (await api("PATCH", `/api/courses/${c.id}`, { token: t, body: { summary: "Changed." } })).status,
    },
    {
      name: "POST lesson",
      run: async (c, t) =>
        (
          await api("POST", `/api/courses/${c.id}/lessons`, {
            token: t,
            body: { title: "L", kind: "text", bodyMarkdown: "x" },
          })
        ).status,
    },
    {
      name: "PATCH lesson",
      run: async (c, t) => {
        const { rows } = await db.query("select id from courses.lessons where course_id = $1 limit 1", [c.id]);
        return (
          await api("PATCH", `/api/courses/${c.id}/lessons/${rows[0].id}`, { token: t, body: { title: "Renamed" } })
        ).status;
      },
    },
    {
      name: "PUT lesson order",
      run: async (c, t) => {
        const { rows } = await db.query("select id from courses.lessons where course_id = $1 order by position desc", [
          c.id,
        ]);
        return (
          await api("PUT", `/api/courses/${c.id}/lessons/order`, {
            token: t,
            body: { lessonIds: rows.map((r) => r.id) },
          })
        ).status;
      },
    },
    {
      name: "POST section",
      run: async (c, t) =>
        (await api("POST", `/api/courses/${c.id}/sections`, { token: t, body: { title: "S" } })).status,
    },
    {
      name: "DELETE lesson",
      run: async (c, t) => {
        const { rows } = await db.query(
          "select id from courses.lessons where course_id = $1 order by position desc limit 1",
          [c.id],
        );
        return (await api("DELETE", `/api/courses/${c.id}/lessons/${rows[0].id}`, { token: t })).status;
      },
    },
    {
      name: "POST publish",
      run: async (c, t) => (await api("POST", `/api/courses/${c.id}/publish`, { token: t })).status,
    },
    {
      name: "POST archive",
      run: async (c, t) => (await api("POST", `/api/courses/${c.id}/archive`, { token: t })).status,
    },
  ];

  it.each(writes.map((write) => [write.name, write] as const))(
    "%s: learner 403, other instructor 403, signed out 401; author and admin allowed",
    async (_name, write) => {
      const course = await draft();
      await lessonIn(course, "First");
      await lessonIn(course, "Second");
      expect(await write.run(course, aLearner.token)).toBe(403);
      expect(await write.run(course, otherInstructor.token)).toBe(403);
      expect(await write.run(course, undefined)).toBe(401);
      expect(await write.run(course, author.token)).toBeLessThan(300);
      const adminsCourse = await draft();
      await lessonIn(adminsCourse, "First");
      await lessonIn(adminsCourse, "Second");
      expect(await write.run(adminsCourse, anAdmin.token)).toBeLessThan(300);
    },
  );

  it("an unknown course is 404 for every write route, and a bad id 400", async () => {
    const missing = { id: "01a2f0ff-0000-7000-8000-000000000000" } as CourseBody;
    expect(
      (await api("PATCH", `/api/courses/${missing.id}`, { token: author.token, body: { summary: "x" } })).status,
    ).toBe(404);
    expect(
      (
        await api("POST", `/api/courses/${missing.id}/lessons`, {
          token: author.token,
          body: { title: "L", kind: "text", bodyMarkdown: "x" },
        })
      ).status,
    ).toBe(404);
    expect((await api("POST", `/api/courses/${missing.id}/publish`, { token: author.token })).status).toBe(404);
    expect((await api("GET", `/api/courses/${missing.id}/lessons`)).status).toBe(404);
    expect((await api("GET", "/api/courses/not-a-uuid")).status).toBe(400);
  });
});

describe("lessons and sections", () => {
  it("appends lessons in order, reorders them, and refuses an order that is not exactly the course's lessons", async () => {
    const course = await draft();
    const a = await lessonIn(course, "A");
    const b = await lessonIn(course, "B");
    const c = await lessonIn(course, "C");
    expect([a.position, b.position, c.position]).toEqual([0, 1, 2]);

    const reordered = await api<{ lessons: Array<{ id: string; title: string; position: number }> }>(
      "PUT",
      `/api/courses/${course.id}/lessons/order`,
      { token: author.token, body: { lessonIds: [c.id, a.id, b.id] } },
    );
    expect(reordered.status).toBe(200);
    expect(reordered.body.lessons.map((lesson) => [lesson.title, lesson.position])).toEqual([
      ["C", 0],
      ["A", 1],
      ["B", 2],
    ]);

    for (const lessonIds of [
      [c.id, a.id],
      [c.id, a.id, b.id, b.id],
      [c.id, a.id, "01a2f0ff-0000-7000-8000-000000000001"],
    ]) {
      const refused = await api("PUT", `/api/courses/${course.id}/lessons/order`, {
        token: author.token,
        body: { lessonIds },
      });
      expect(refused.status).toBe(422);
    }
    const listed = await api<{ lessons: Array<{ title: string }> }>("GET", `/api/courses/${course.id}/lessons`, {
      token: author.token,
    });
    expect(listed.body.lessons.map((lesson) => lesson.title)).toEqual(["C", "A", "B"]);
  });

  it("groups lessons in sections, reorders sections, and keeps lessons when a section goes", async () => {
    const course = await draft();
    const intro = await api<{ id: string }>("POST", `/api/courses/${course.id}/sections`, {
      token: author.token,
      body: { title: "Intro" },
    });
    const deep = await api<{ id: string }>("POST", `/api/courses/${course.id}/sections`, {
      token: author.token,
      body: { title: "Deep" },
    });
    expect([intro.status, deep.status]).toEqual([201, 201]);
    const lesson = await api<{ id: string; sectionId: string }>("POST", `/api/courses/${course.id}/lessons`, {
      token: author.token,
      body: { title: "In intro", kind: "text", bodyMarkdown: "x", sectionId: intro.body.id },
    });
    expect(lesson.body.sectionId).toBe(intro.body.id);
    const foreignSection = await api("POST", `/api/courses/${(await draft()).id}/lessons`, {
      token: author.token,
      body: { title: "Wrong section", kind: "text", bodyMarkdown: "x", sectionId: intro.body.id },
    });
    expect(foreignSection.status).toBe(404);

    const order = await api("PUT", `/api/courses/${course.id}/sections/order`, {
      token: author.token,
      body: { sectionIds: [deep.body.id, intro.body.id] },
    });
    expect(order.status).toBe(204);
    const listed = await api<{ sections: Array<{ title: string }> }>("GET", `/api/courses/${course.id}/lessons`, {
      token: author.token,
    });
    expect(listed.body.sections.map((section) => section.title)).toEqual(["Deep", "Intro"]);

    expect(
      (await api("DELETE", `/api/courses/${course.id}/sections/${intro.body.id}`, { token: author.token })).status,
    ).toBe(204);
    const after = await api<{ lessons: Array<{ id: string; sectionId: string | null }> }>(
      "GET",
      `/api/courses/${course.id}/lessons`,
      {
        token: author.token,
      },
    );
    expect(after.body.lessons).toEqual([expect.objectContaining({ id: lesson.body.id, sectionId: null })]);
  });

  it("checks fields against the lesson kind (422) and needs a body for text lessons", async () => {
    const course = await draft();
    const cases = [
      { title: "Text without body", kind: "text" },
      { title: "Text with duration", kind: "text", bodyMarkdown: "x", durationSeconds: 60 },
      { title: "Video with body", kind: "video", bodyMarkdown: "x" },
    ];
    for (const body of cases) {
      const answer = await api("POST", `/api/courses/${course.id}/lessons`, { token: author.token, body });
      expect(answer.status, JSON.stringify(body)).toBe(422);
    }
    const { rows } = await db.query("select count(*)::int as n from courses.lessons where course_id = $1", [course.id]);
    expect(rows[0].n).toBe(0);
  });
});

describe("POST /api/courses/{id}/publish", () => {
  it("lists what is missing (422), publishes when complete with COURSE_PUBLISHED, and refuses twice (409)", async () => {
    const course = await draft(author, { summary: "" });
    await api("POST", `/api/courses/${course.id}/lessons`, {
      token: author.token,
      body: { title: "Video", kind: "video", durationSeconds: 90 },
    });
    const refused = await api<{ errors: Array<{ path: string; message: string }> }>(
      "POST",
      `/api/courses/${course.id}/publish`,
      {
        token: author.token,
      },
    );
    expect(refused.status).toBe(422);
    expect(refused.body.errors.map((error) => error.path).sort()).toEqual(["lessons", "summary"]);
    expect(refused.body.errors.find((error) => error.path === "lessons")?.message).toContain(
      '"Video" has no uploaded media',
    );

    const { rows: lessonRows } = await db.query("select id from courses.lessons where course_id = $1", [course.id]);
    await api("DELETE", `/api/courses/${course.id}/lessons/${lessonRows[0].id}`, { token: author.token });
    await lessonIn(course, "Text");
    await api("PATCH", `/api/courses/${course.id}`, { token: author.token, body: { summary: "Now with a summary." } });
    const published = await api<CourseBody>("POST", `/api/courses/${course.id}/publish`, {
      token: author.token,
      headers: { "x-correlation-id": "publish-1" },
    });
    expect(published.status).toBe(200);
    expect(published.body.status).toBe("published");
    const { rows } = await db.query(
      "select envelope->'data' as data from courses.outbox where aggregate_id = $1 and type = 'COURSE_PUBLISHED'",
      [course.id],
    );
    expect(rows).toEqual([
      {
        data: expect.objectContaining({
          courseId: course.id,
          price: { amountMinor: 1900, currency: "EUR" },
          publishedAt: published.body.publishedAt,
        }),
      },
    ]);
    expect((await api("POST", `/api/courses/${course.id}/publish`, { token: author.token })).status).toBe(409);
    expect((await api("GET", `/api/courses/${course.id}`, { token: aLearner.token })).status).toBe(200);
  });

  it("records COURSE_UPDATED with the changed fields on an edit", async () => {
    const course = await draft();
    await api("PATCH", `/api/courses/${course.id}`, {
      token: author.token,
      body: { title: "New title", level: "advanced" },
    });
    const { rows } = await db.query(
      "select envelope->'data'->'changed' as changed from courses.outbox where aggregate_id = $1 and type = 'COURSE_UPDATED'",
      [course.id],
    );
    expect(rows).toEqual([{ changed: ["title", "level"] }]);
  });
});
