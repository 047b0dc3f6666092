import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, gatewayUrl, newClientAddress, registerAndLogin } from "../../../test/support/api.ts";
import { publishedCourse, uniqueSlug, type CourseBody } from "../../../test/support/courses.ts";
import { db } from "../../../test/support/database.ts";
import { admin, instructor, learner, type Person } from "../../../test/support/people.ts";

/**
 * The enrollment import (docs/integrators.md#enrollment-import) on the running platform: an admin's
 * API key with `enrollments:write` grants access in bulk from CSV or JSON, each row on its own,
 * once however often the file is sent, with a report of every row; and refuses what is not an
 * import (the wrong type, no header, too many rows) with nothing written.
 */
interface RowReport {
  line: number;
  userId?: string;
  email?: string;
  reference?: string;
  outcome: "granted" | "already_enrolled" | "failed";
  reason?: string;
  detail: string;
}
interface ImportReport {
  summary: { total: number; granted: number; alreadyEnrolled: number; failed: number };
  rows: RowReport[];
}

let owner: Person;
let author: Person;
let importKey: string;

const importPath = (course: { id: string }) => `/api/courses/${course.id}/enrollments/import`;

/** Sends a raw body of any type, with an API key or a person's token. */
async function send<T = ImportReport>(
  path: string,
  credential: string,
  contentType: string | undefined,
  body: string,
): Promise<{ status: number; contentType: string | null; body: T }> {
  const headers: Record<string, string> = {
    authorization: `Bearer ${credential}`,
    "cf-connecting-ip": newClientAddress(),
  };
  if (contentType) headers["content-type"] = contentType;
  const response = await fetch(`${gatewayUrl}${path}`, { method: "POST", headers, body });
  const text = await response.text();
  return {
    status: response.status,
    contentType: response.headers.get("content-type"),
    body: (text ? JSON.parse(text) : {}) as T,
  };
}
const importCsv = (course: { id: string }, csv: string, credential = importKey) =>
  send(importPath(course), credential, "text/csv; charset=utf-8", csv);
const importJson = (course: { id: string }, body: unknown, credential = importKey) =>
  send(importPath(course), credential, "application/json", JSON.stringify(body));

async function makeKey(scopes: string[]): Promise<string> {
  const made = await api<{ key: string }>("POST", "/api/auth/api-keys", {
    token: owner.token,
    body: { name: "enrollment import", scopes },
  });
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  return made.body.key;
}

const grantEvents = async (course: { id: string }) => {
  const { rows } = await db.query<{ n: number }>(
    "select count(*)::int as n from courses.outbox where type = 'COURSE_ACCESS_GRANTED' and envelope->'data'->>'courseId' = $1",
    [course.id],
  );
  return rows[0]?.n;
};
const grantsOf = async (course: { id: string }) => {
  const { rows } = await db.query<{ n: number }>(
    "select count(*)::int as n from courses.enrollments where course_id = $1",
    [course.id],
  );
  return rows[0]?.n;
};
const accessOf = async (course: CourseBody, token: string) =>
  (await api<{ access: string }>("GET", `/api/courses/${course.id}/lessons`, { token })).body.access;

/** A learner with the address they signed up with and a token of their own. */
const someone = async (tag: string) => {
  const session = await registerAndLogin(tag);
  return { userId: session.userId, email: session.email, token: session.tokens.accessToken };
};

beforeAll(async () => {
  owner = await admin("import-owner");
  author = await instructor("import-author");
  importKey = await makeKey(["enrollments:write"]);
});
afterAll(() => db.end());

describe("importing a CSV with an admin's API key", () => {
  it("grants each row on its own and reports every row; sent again, it grants nothing new", async () => {
    const course = await publishedCourse(author, { price: { amountMinor: 4900, currency: "EUR" } });
    const [ada, bob, cy, dee] = await Promise.all(["ada", "bob", "cy", "dee"].map((tag) => someone(`import-${tag}`)));
    if (!ada || !bob || !cy || !dee) throw new Error("people missing");
    await db.query("update auth.accounts set status = 'disabled' where id = $1", [dee.userId]);
    const unknown = `nobody-${Date.now()}@example.com`;
    const csv = [
      "email,user_id,reference",
      `${ada.email},,"order 7, ""east"""`,
      `  ${bob.email.toUpperCase()}  ,,`,
      `,${cy.userId},`,
      `${unknown},,`,
      `${ada.email},,again`,
      "not-an-email,,",
      `${dee.email},,`,
    ].join("\r\n");

    const first = await importCsv(course, csv);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body).toEqual({
      summary: { total: 7, granted: 3, alreadyEnrolled: 0, failed: 4 },
      rows: [
        {
          line: 2,
          userId: ada.userId,
          email: ada.email,
          reference: 'order 7, "east"',
          outcome: "granted",
          detail: "Access granted.",
        },
        { line: 3, userId: bob.userId, email: bob.email.toUpperCase(), outcome: "granted", detail: "Access granted." },
        { line: 4, userId: cy.userId, outcome: "granted", detail: "Access granted." },
        {
          line: 5,
          email: unknown,
          outcome: "failed",
          reason: "unknown_account",
          detail: "No account has this address.",
        },
        {
          line: 6,
          userId: ada.userId,
          email: ada.email,
          reference: "again",
          outcome: "failed",
          reason: "duplicate_in_file",
          detail: "The same person as line 2; imported once, there.",
        },
        {
          line: 7,
          email: "not-an-email",
          outcome: "failed",
          reason: "invalid_row",
          detail: expect.stringContaining("email"),
        },
        {
          line: 8,
          userId: dee.userId,
          email: dee.email,
          outcome: "failed",
          reason: "account_disabled",
          detail: "The account is disabled.",
        },
      ],
    });

    for (const person of [ada, bob, cy]) expect(await accessOf(course, person.token)).toBe("full");
    expect(await grantEvents(course)).toBe(3);
    const { rows: grants } = await db.query<{ user_id: string; via: string; reference: string }>(
      "select user_id, via, reference from courses.enrollments where course_id = $1 order by reference",
      [course.id],
    );
    expect(grants).toEqual(
      expect.arrayContaining([
        { user_id: bob.userId, via: "integrator", reference: "import" },
        { user_id: cy.userId, via: "integrator", reference: "import" },
        { user_id: ada.userId, via: "integrator", reference: 'order 7, "east"' },
      ]),
    );
    expect(grants).toHaveLength(3);

    const again = await importCsv(course, csv);
    expect(again.status).toBe(200);
    expect(again.body.summary).toEqual({ total: 7, granted: 0, alreadyEnrolled: 3, failed: 4 });
    expect(again.body.rows.map((row) => row.outcome)).toEqual([
      "already_enrolled",
      "already_enrolled",
      "already_enrolled",
      "failed",
      "failed",
      "failed",
      "failed",
    ]);
    expect(await grantEvents(course)).toBe(3);
    expect(await grantsOf(course)).toBe(3);
  });

  it("takes a JSON body too, and an admin's own token", async () => {
    const course = await publishedCourse(author, { price: null });
    const [ana, ben] = await Promise.all([someone("import-json-a"), someone("import-json-b")]);
    const body = {
      rows: [{ email: ana.email, reference: "crm-1" }, { userId: ben.userId }, { userId: "not-a-uuid" }, "junk"],
    };
    const imported = await importJson(course, body, owner.token);
    expect(imported.status, JSON.stringify(imported.body)).toBe(200);
    expect(imported.body.summary).toEqual({ total: 4, granted: 2, alreadyEnrolled: 0, failed: 2 });
    expect(imported.body.rows.map((row) => [row.line, row.outcome, row.reason, row.userId])).toEqual([
      [1, "granted", undefined, ana.userId],
      [2, "granted", undefined, ben.userId],
      [3, "failed", "invalid_row", "not-a-uuid"],
      [4, "failed", "invalid_row", undefined],
    ]);
    expect(await accessOf(course, ana.token)).toBe("full");
    expect(await accessOf(course, ben.token)).toBe("full");
    const { rows } = await db.query<{ data: { via: string; reference: string | null } }>(
      "select envelope->'data' as data from courses.outbox where type = 'COURSE_ACCESS_GRANTED' and envelope->'data'->>'courseId' = $1 and envelope->'data'->>'userId' = $2",
      [course.id, ana.userId],
    );
    expect(rows.map((row) => [row.data.via, row.data.reference])).toEqual([["integrator", "crm-1"]]);
  });

  it("reports someone who already had access (a free enrollment) as already enrolled, granting nothing", async () => {
    const course = await publishedCourse(author, { price: null });
    const member = await someone("import-member");
    expect((await api("POST", `/api/courses/${course.id}/enroll`, { token: member.token })).status).toBe(201);
    const imported = await importJson(course, { rows: [{ email: member.email }] });
    expect(imported.body.rows).toEqual([
      {
        line: 1,
        userId: member.userId,
        email: member.email,
        outcome: "already_enrolled",
        detail: "Already has access to this course.",
      },
    ]);
    expect(await grantEvents(course)).toBe(1);
  });
});

describe("who may import", () => {
  it("refuses a key without enrollments:write, a learner and nobody; the course must exist and be published", async () => {
    const course = await publishedCourse(author, { price: null });
    const person = await someone("import-refused");
    const csv = `email\n${person.email}\n`;
    const readOnlyKey = await makeKey(["courses:read"]);
    const refusedKey = await importCsv(course, csv, readOnlyKey);
    expect(refusedKey.status).toBe(403);
    expect((refusedKey.body as unknown as { detail: string }).detail).toContain("enrollments:write");
    expect((await importCsv(course, csv, (await learner("import-learner")).token)).status).toBe(403);
    expect((await importCsv(course, csv, author.token)).status).toBe(403);
    const anonymous = await fetch(`${gatewayUrl}${importPath(course)}`, {
      method: "POST",
      headers: { "content-type": "text/csv", "cf-connecting-ip": newClientAddress() },
      body: csv,
    });
    expect(anonymous.status).toBe(401);
    expect(await grantsOf(course)).toBe(0);

    expect((await importCsv({ id: "0193f9c4-0000-7000-8000-00000000dead" }, csv)).status).toBe(404);
    const draft = await api<CourseBody>("POST", "/api/courses", {
      token: author.token,
      body: { title: "Not yet", slug: uniqueSlug("import-draft"), summary: "Draft.", language: "en", price: null },
    });
    const intoDraft = await importCsv(draft.body, csv);
    expect(intoDraft.status).toBe(409);
    expect(await grantsOf(draft.body)).toBe(0);
  });
});

describe("what is not an import", () => {
  it("answers problem+json 415, 400 or 413 and writes nothing", async () => {
    const course = await publishedCourse(author, { price: null });
    const person = await someone("import-shape");
    const expectRefused = (answer: { status: number; contentType: string | null }, status: number) => {
      expect(answer.status).toBe(status);
      expect(answer.contentType).toContain("application/problem+json");
    };
    expectRefused(await send(importPath(course), importKey, "text/plain", `email\n${person.email}`), 415);
    expectRefused(await send(importPath(course), importKey, undefined, `email\n${person.email}`), 415);
    expectRefused(await importCsv(course, `${person.email}\n`), 400);
    expectRefused(await importCsv(course, `email\n"${person.email}`), 400);
    expectRefused(await importJson(course, [{ email: person.email }]), 400);
    expectRefused(await send(importPath(course), importKey, "application/json", "{not json"), 400);
    const many = Array.from({ length: 1001 }, (_, index) => `x${index}@example.com`);
    expectRefused(await importCsv(course, ["email", person.email, ...many].join("\n")), 413);
    expectRefused(await importJson(course, { rows: [person.email, ...many].map((email) => ({ email })) }), 413);
    expect(await grantsOf(course)).toBe(0);
    expect(await accessOf(course, person.token)).toBe("preview");
  });
});
