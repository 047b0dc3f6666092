import pg from "pg";
import { v7 as uuidv7 } from "uuid";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { UsersRpc } from "@platform/contracts";
import { openDatabase } from "@platform/db";
import { buildEvent } from "@platform/events";
import {
  databaseBindings,
  inProcess,
  principal,
  recordingQueue,
  type Principal,
} from "../../../test/support/in-process.ts";
import { app } from "../src/app.ts";
import * as schema from "../src/db/schema.ts";
import { applyEvent } from "../src/event-handlers.ts";
import { PERSONAL_READ, PUBLIC_READ } from "../src/routes/cache-headers.ts";
import type { CourseView } from "../src/routes/schemas.ts";
import { addTextLesson, draftCourse } from "./in-process-authoring.ts";
import { localKv, type LocalKv } from "./local-kv.ts";

/**
 * A course's syllabus for its public page (GET /api/courses/{id}/outline): what a signed-out
 * visitor needs to decide, and nothing private. Sections and lessons with kind, duration and
 * which are free previews; the instructor's name from the users service; never a lesson's body,
 * media or a media URL. Shared through the course's cache like the course page, the name through
 * the author's; drafts and archived courses only for those who may see them.
 *
 * The users service is reached by RPC; here it is a stand-in for its `learnerName` contract
 * (packages/contracts/src/users-rpc.ts), scripted per author, counting its calls. The platform
 * test (syllabus.platform.test.ts) asks the real one.
 */

const pool = new pg.Pool({ connectionString: inject("routesDatabaseUrl") });
const { db, close } = openDatabase(databaseBindings(), schema);
let cache: Awaited<ReturnType<typeof localKv>>;
let kv: LocalKv;
let courses: ReturnType<typeof inProcess>;

type NameAnswer = Awaited<ReturnType<UsersRpc["learnerName"]>>;
const names = new Map<string, NameAnswer | "throws">();
const nameCalls = new Map<string, number>();
const users: Pick<UsersRpc, "learnerName"> = {
  learnerName: async (userId) => {
    nameCalls.set(userId, (nameCalls.get(userId) ?? 0) + 1);
    const answer = names.get(userId) ?? { ok: false, code: "not_found" };
    if (answer === "throws") throw new Error("the users worker is down");
    return answer;
  },
};

beforeAll(async () => {
  cache = await localKv();
  kv = cache.kv;
  courses = inProcess(app, { EVENTS_QUEUE: recordingQueue(), CATALOG_CACHE: kv, USERS: users });
});
afterAll(async () => {
  await cache?.dispose();
  await close();
  await pool.end();
});

interface SyllabusAnswer {
  readonly courseId: string;
  readonly instructor: { readonly id: string; readonly name: string | null };
  readonly sections: { id: string; title: string; position: number }[];
  readonly lessons: {
    id: string;
    sectionId: string | null;
    position: number;
    title: string;
    kind: string;
    isPreview: boolean;
    durationSeconds: number | null;
  }[];
}

function instructorNamed(name: string): Principal {
  const author = principal("instructor");
  names.set(author.userId, { ok: true, value: name });
  return author;
}

const outline = (courseId: string, as?: Principal) =>
  courses.request<SyllabusAnswer>("GET", `/api/courses/${courseId}/outline`, as ? { as } : {});
const cacheOf = (answer: { headers: Headers }) => [answer.headers.get("x-cache"), answer.headers.get("cache-control")];

const VIDEO_KEY = (courseId: string) => `courses/${courseId}/private-lecture.mp4`;
const LOCKED_BODY = "Only for learners who bought it.";

/**
 * A course as an author builds one: a section with a free text preview and a paid video (its
 * upload done, as the media routes record it), and a file lesson outside any section.
 */
async function courseWithSyllabus(author: Principal, publish = true): Promise<CourseView> {
  const course = await draftCourse(courses, author, { title: "Syllabus course" });
  const section = await courses.request<{ id: string }>("POST", `/api/courses/${course.id}/sections`, {
    as: author,
    body: { title: "Getting started" },
  });
  expect(section.status).toBe(201);
  const lesson = (body: Record<string, unknown>) =>
    courses.request<{ id: string }>("POST", `/api/courses/${course.id}/lessons`, { as: author, body });
  await lesson({
    title: "Welcome",
    kind: "text",
    bodyMarkdown: "Open to all.",
    isPreview: true,
    sectionId: section.body.id,
  });
  const video = await lesson({ title: "Lecture", kind: "video", durationSeconds: 754, sectionId: section.body.id });
  const file = await lesson({ title: "Worksheet", kind: "file" });
  await addTextLesson(courses, author, course.id, { title: "Notes", bodyMarkdown: LOCKED_BODY });
  await pool.query("update courses.lessons set media_key = $1 where id = $2", [VIDEO_KEY(course.id), video.body.id]);
  await pool.query("update courses.lessons set media_key = $1 where id = $2", [
    `courses/${course.id}/worksheet.pdf`,
    file.body.id,
  ]);
  if (!publish) return course;
  const published = await courses.request<CourseView>("POST", `/api/courses/${course.id}/publish`, { as: author });
  expect(published.status, JSON.stringify(published.body)).toBe(200);
  return published.body;
}

describe("a published course's syllabus, signed out", () => {
  it("has the sections, the lessons with kind, duration and free previews, and the instructor's name", async () => {
    const author = instructorNamed("Ines Instructor");
    const course = await courseWithSyllabus(author);
    const answer = await outline(course.id);
    expect(answer.status).toBe(200);
    expect(cacheOf(answer)).toEqual(["miss", PUBLIC_READ]);
    const section = answer.body.sections[0];
    expect(answer.body).toEqual({
      courseId: course.id,
      instructor: { id: author.userId, name: "Ines Instructor" },
      sections: [{ id: section?.id, title: "Getting started", position: 0 }],
      lessons: [
        expect.objectContaining({ title: "Welcome", kind: "text", isPreview: true, durationSeconds: null }),
        expect.objectContaining({ title: "Lecture", kind: "video", isPreview: false, durationSeconds: 754 }),
        expect.objectContaining({ title: "Worksheet", kind: "file", isPreview: false, sectionId: null }),
        expect.objectContaining({ title: "Notes", kind: "text", isPreview: false, sectionId: null }),
      ],
    });
    expect(answer.body.lessons.slice(0, 2).map((lesson) => lesson.sectionId)).toEqual([section?.id, section?.id]);
    expect(answer.body.lessons.map((lesson) => lesson.position)).toEqual([0, 1, 2, 3]);
  });

  it("holds nothing private: no lesson body, no media key or URL, no author's email", async () => {
    const author = instructorNamed("Pat Private");
    const course = await courseWithSyllabus(author);
    const answer = await outline(course.id);
    const text = JSON.stringify(answer.body);
    for (const secret of [LOCKED_BODY, "Open to all.", "private-lecture", "worksheet.pdf", "/media/", "@"]) {
      expect(text, secret).not.toContain(secret);
    }
    for (const lesson of answer.body.lessons) {
      expect(Object.keys(lesson).sort()).toEqual([
        "durationSeconds",
        "id",
        "isPreview",
        "kind",
        "position",
        "sectionId",
        "title",
      ]);
    }
    // The lesson list a visitor gets beside it opens the free preview only: the paid video's media stays out.
    const lessons = await courses.request<{ lessons: { title: string; locked: boolean; mediaUrl: string | null }[] }>(
      "GET",
      `/api/courses/${course.id}/lessons`,
    );
    expect(lessons.body.lessons.map((lesson) => [lesson.title, lesson.locked, lesson.mediaUrl])).toEqual([
      ["Welcome", false, null],
      ["Lecture", true, null],
      ["Worksheet", true, null],
      ["Notes", true, null],
    ]);
    expect(JSON.stringify(lessons.body)).not.toContain("private-lecture");
  });

  it("is served from the cache until the course changes; a change shows at once", async () => {
    const author = instructorNamed("Cass Cached");
    const course = await courseWithSyllabus(author);
    await outline(course.id);
    const again = await outline(course.id);
    expect(cacheOf(again)).toEqual(["hit", PUBLIC_READ]);
    // A learner signed in shares it: it is the same for everyone but the course's editors.
    expect(cacheOf(await outline(course.id, principal("learner")))).toEqual(["hit", PUBLIC_READ]);

    await addTextLesson(courses, author, course.id, { title: "Added later", bodyMarkdown: "New.", isPreview: true });
    const changed = await outline(course.id);
    expect(changed.body.lessons.at(-1)).toMatchObject({ title: "Added later", isPreview: true });
    expect(cacheOf(changed)[0]).toBe("miss");
  });

  it("answers 404 for an unknown course and 400 naming param.id for an id that is none", async () => {
    expect((await outline(uuidv7())).status).toBe(404);
    const refused = await courses.request<{ errors: { path: string }[] }>("GET", "/api/courses/not-a-uuid/outline");
    expect(refused.status).toBe(400);
    expect(refused.body.errors.map((error) => error.path)).toEqual(["param.id"]);
  });
});

describe("drafts and archived courses", () => {
  it("hides a draft from visitors and learners; its editors read it for themselves, and nothing is cached", async () => {
    const author = instructorNamed("Dana Draft");
    const course = await courseWithSyllabus(author, false);
    for (const caller of [undefined, principal("learner"), principal("instructor")]) {
      expect((await outline(course.id, caller)).status).toBe(404);
    }
    for (const editor of [author, principal("admin")]) {
      const own = await outline(course.id, editor);
      expect(own.status).toBe(200);
      expect(cacheOf(own)).toEqual(["bypass", PERSONAL_READ]);
      expect(own.body.instructor).toEqual({ id: author.userId, name: "Dana Draft" });
    }
    const { keys } = await kv.list({ prefix: `course:${course.id}:` });
    expect(keys.map((key) => key.name).filter((name) => name.endsWith(":syllabus"))).toEqual([]);
  });

  it("stops showing an archived course to visitors; a learner with access still reads it, privately", async () => {
    const author = instructorNamed("Archie Archived");
    const course = await courseWithSyllabus(author);
    const learner = principal("learner");
    expect((await courses.request("POST", `/api/courses/${course.id}/enroll`, { as: learner })).status).toBe(201);
    expect((await outline(course.id)).status).toBe(200);
    expect((await courses.request("POST", `/api/courses/${course.id}/archive`, { as: author })).status).toBe(200);
    expect((await outline(course.id)).status).toBe(404);
    expect((await outline(course.id, principal("learner"))).status).toBe(404);
    const kept = await outline(course.id, learner);
    expect(kept.status).toBe(200);
    expect(cacheOf(kept)).toEqual(["bypass", PERSONAL_READ]);
  });
});

describe("the instructor's name", () => {
  it("is asked of the users service once per author for all their courses, then kept", async () => {
    const author = instructorNamed("Una Once");
    const first = await courseWithSyllabus(author);
    const second = await courseWithSyllabus(author);
    expect((await outline(first.id)).body.instructor.name).toBe("Una Once");
    expect((await outline(second.id)).body.instructor.name).toBe("Una Once");
    expect((await outline(first.id)).body.instructor.name).toBe("Una Once");
    expect(nameCalls.get(author.userId)).toBe(1);
  });

  it("is left out (null) while the users service cannot tell it, and asked again on the next read", async () => {
    const author = principal("instructor");
    const course = await courseWithSyllabus(author);
    for (const answer of [{ ok: false, code: "pending" }, { ok: false, code: "unavailable" }, "throws"] as const) {
      names.set(author.userId, answer);
      const read = await outline(course.id);
      expect(read.status, String(answer)).toBe(200);
      expect(read.body.instructor).toEqual({ id: author.userId, name: null });
      expect(read.body.lessons).toHaveLength(4);
      // A syllabus with a name missing is not a cache hit: the next read asks again.
      expect(cacheOf(read)).toEqual(["miss", PUBLIC_READ]);
    }
    expect(nameCalls.get(author.userId)).toBe(3);
    names.set(author.userId, { ok: true, value: "Late Name" });
    expect((await outline(course.id)).body.instructor.name).toBe("Late Name");
  });

  it("goes when the author's account is erased (USER_DELETED), and stays gone", async () => {
    const author = instructorNamed("Erin Erased");
    const course = await courseWithSyllabus(author);
    expect((await outline(course.id)).body.instructor.name).toBe("Erin Erased");
    // The users service erased the profile; the courses service hears of it by the event.
    names.set(author.userId, { ok: false, code: "not_found" });
    const erased = buildEvent(
      "USER_DELETED",
      { userId: author.userId },
      { source: "auth", correlationId: "syllabus-erasure" },
    );
    expect(await applyEvent(db, kv, erased)).toBe("applied");
    const after = await outline(course.id);
    expect(after.body.instructor).toEqual({ id: author.userId, name: null });
    expect(cacheOf(after)[0]).toBe("miss");
    // "No such profile, for good" is kept: the next read does not ask again.
    const calls = nameCalls.get(author.userId);
    expect(cacheOf(await outline(course.id))).toEqual(["hit", PUBLIC_READ]);
    expect(nameCalls.get(author.userId)).toBe(calls);
  });
});
