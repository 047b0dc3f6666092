import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api } from "../../../test/support/api.ts";
import { db } from "../../../test/support/database.ts";
import type { Person } from "../../../test/support/people.ts";
import { course, person, putPart, readUpload, sourceBytes, startUpload, type UploadView } from "./media-fixtures.ts";

/**
 * Every media write route against every kind of caller: only the course's author and admins get
 * through; a learner and another instructor get 403, a signed-out caller 401, an unknown course
 * or upload 404. A refused call must also change nothing, so the upload is checked after each.
 */
type Who = "anonymous" | "learner" | "other instructor" | "author" | "admin";

let people: Record<Exclude<Who, "anonymous">, Person>;
let courseId: string;
let otherCourseId: string;
const FILE = sourceBytes(1000, 5);
const file = { fileName: "notes.txt", contentType: "text/plain", sizeBytes: FILE.length };

beforeAll(async () => {
  const [learner, other, author, admin] = await Promise.all([
    person("perm-learner"),
    person("perm-other", "instructor"),
    person("perm-author", "instructor"),
    person("perm-admin", "admin"),
  ]);
  people = { learner, "other instructor": other, author, admin };
  courseId = await course(author.userId, "draft");
  otherCourseId = await course(author.userId, "draft");
});
afterAll(() => db.end());

const tokenOf = (who: Who) => (who === "anonymous" ? undefined : people[who].token);
const refused: [Who, number][] = [
  ["anonymous", 401],
  ["learner", 403],
  ["other instructor", 403],
];
const allowed: Who[] = ["author", "admin"];

async function freshUpload(): Promise<UploadView> {
  const started = await startUpload(people.author.token, courseId, file);
  expect(started.status).toBe(201);
  return started.body;
}

async function stateOf(uploadId: string) {
  const { rows } = await db.query<{ status: string; parts: number }>(
    `select status, (select count(*)::int from courses.media_upload_parts p where p.upload_id = u.id) as parts
       from courses.media_uploads u where id = $1`,
    [uploadId],
  );
  return rows[0];
}

describe("POST /api/courses/{id}/uploads", () => {
  it.each(refused)("%s: %i, and no upload is created", async (who, status) => {
    const before = await db.query("select count(*)::int as n from courses.media_uploads where course_id = $1", [
      courseId,
    ]);
    expect((await startUpload(tokenOf(who), courseId, file)).status).toBe(status);
    const after = await db.query("select count(*)::int as n from courses.media_uploads where course_id = $1", [
      courseId,
    ]);
    expect(after.rows).toEqual(before.rows);
  });

  it.each(allowed)("%s: 201", async (who) => {
    const response = await startUpload(tokenOf(who), courseId, file);
    expect(response.status).toBe(201);
    const { rows } = await db.query("select created_by from courses.media_uploads where id = $1", [response.body.id]);
    expect(rows).toEqual([{ created_by: people[who as "author" | "admin"].userId }]);
  });

  it("an unknown course: 404", async () => {
    expect((await startUpload(people.author.token, crypto.randomUUID(), file)).status).toBe(404);
  });
});

describe("GET /api/courses/{id}/uploads/{uploadId}", () => {
  it("refused to others (401/403), shown to the author and admins, 404 for unknown or another course's upload", async () => {
    const upload = await freshUpload();
    for (const [who, status] of refused) {
      expect((await api("GET", `/api/courses/${courseId}/uploads/${upload.id}`, { token: tokenOf(who) })).status).toBe(
        status,
      );
    }
    for (const who of allowed) expect((await readUpload(tokenOf(who) ?? "", courseId, upload.id)).status).toBe(200);
    expect((await readUpload(people.author.token, courseId, crypto.randomUUID())).status).toBe(404);
    expect((await readUpload(people.author.token, otherCourseId, upload.id)).status).toBe(404);
    expect((await readUpload(people.author.token, crypto.randomUUID(), upload.id)).status).toBe(404);
  });
});

describe("PUT /api/courses/{id}/uploads/{uploadId}/parts/{n}", () => {
  it("refused to others before a byte is stored; stored for the author and admins", async () => {
    const upload = await freshUpload();
    const part = upload.parts[0];
    if (!part) throw new Error("expected a part");
    for (const [who, status] of refused) {
      expect((await putPart(tokenOf(who), part.url, FILE)).status).toBe(status);
      expect(await stateOf(upload.id)).toEqual({ status: "uploading", parts: 0 });
    }
    for (const who of allowed) {
      const stored = await putPart(tokenOf(who), part.url, FILE);
      expect(stored.status).toBe(200);
      expect(stored.body).toMatchObject({ partNumber: 1, sizeBytes: FILE.length });
    }
    expect(await stateOf(upload.id)).toEqual({ status: "uploading", parts: 1 });
    expect(
      (await putPart(people.author.token, `/api/courses/${otherCourseId}/uploads/${upload.id}/parts/1`, FILE)).status,
    ).toBe(404);
  });
});

describe("POST /api/courses/{id}/uploads/{uploadId}/complete", () => {
  it("refused to others (the upload stays open); completed by an admin, and again by the author", async () => {
    const upload = await freshUpload();
    const part = upload.parts[0];
    if (!part) throw new Error("expected a part");
    expect((await putPart(people.author.token, part.url, FILE)).status).toBe(200);
    for (const [who, status] of refused) {
      expect(
        (await api("POST", `/api/courses/${courseId}/uploads/${upload.id}/complete`, { token: tokenOf(who) })).status,
      ).toBe(status);
      expect(await stateOf(upload.id)).toEqual({ status: "uploading", parts: 1 });
    }
    for (const who of ["admin", "author"] as const) {
      const response = await api<UploadView>("POST", `/api/courses/${courseId}/uploads/${upload.id}/complete`, {
        token: tokenOf(who),
      });
      expect(response.status).toBe(200);
      expect(response.body.status).toBe("completed");
    }
    expect(
      (
        await api("POST", `/api/courses/${courseId}/uploads/${crypto.randomUUID()}/complete`, {
          token: people.author.token,
        })
      ).status,
    ).toBe(404);
  });
});

describe("DELETE /api/courses/{id}/uploads/{uploadId}", () => {
  it.each(allowed)("refused to others (the upload stays open); aborted by the %s", async (who) => {
    const upload = await freshUpload();
    for (const [caller, status] of refused) {
      expect(
        (await api("DELETE", `/api/courses/${courseId}/uploads/${upload.id}`, { token: tokenOf(caller) })).status,
      ).toBe(status);
      expect(await stateOf(upload.id)).toEqual({ status: "uploading", parts: 0 });
    }
    expect((await api("DELETE", `/api/courses/${courseId}/uploads/${upload.id}`, { token: tokenOf(who) })).status).toBe(
      204,
    );
    expect(await stateOf(upload.id)).toEqual({ status: "aborted", parts: 0 });
  });

  it("a completed upload cannot be aborted (409); an unknown one is 404", async () => {
    const upload = await freshUpload();
    const part = upload.parts[0];
    if (!part) throw new Error("expected a part");
    await putPart(people.author.token, part.url, FILE);
    expect(
      (await api("POST", `/api/courses/${courseId}/uploads/${upload.id}/complete`, { token: people.author.token }))
        .status,
    ).toBe(200);
    expect(
      (await api("DELETE", `/api/courses/${courseId}/uploads/${upload.id}`, { token: people.author.token })).status,
    ).toBe(409);
    expect(
      (await api("DELETE", `/api/courses/${courseId}/uploads/${crypto.randomUUID()}`, { token: people.author.token }))
        .status,
    ).toBe(404);
  });
});
