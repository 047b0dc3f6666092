import pg from "pg";
import { v7 as uuidv7 } from "uuid";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { AccountMatch, AuthRpc } from "@platform/contracts";
import { inProcess, principal, recordingQueue } from "../../../test/support/in-process.ts";
import { app } from "../src/app.ts";
import type { ImportReport } from "../src/enrollment-import/import.ts";
import { publishedCourse } from "./in-process-authoring.ts";
import { localKv } from "./local-kv.ts";

/**
 * The enrollment import against a real PostgreSQL, with the auth service's `findAccounts` contract
 * (packages/contracts/src/auth-rpc.ts) played by a stand-in that counts its calls: what the running
 * platform cannot easily show. One look-up per import whatever its size; the auth service down
 * means nothing granted; the same rows imported twice at once still grant once; a grant withdrawn
 * before is reported, not silently granted again. The platform test
 * (enrollment-import.platform.test.ts) asks the real auth worker.
 */

const pool = new pg.Pool({ connectionString: inject("routesDatabaseUrl") });
let cache: Awaited<ReturnType<typeof localKv>>;
let courses: ReturnType<typeof inProcess>;

const accounts: AccountMatch[] = [];
const lookups: Parameters<AuthRpc["findAccounts"]>[0][] = [];
let authDown = false;
const auth: Pick<AuthRpc, "findAccounts"> = {
  findAccounts: async (query) => {
    lookups.push(query);
    if (authDown) return { ok: false, code: "unavailable" };
    const found = accounts.filter((account) => query.ids.includes(account.id) || query.emails.includes(account.email));
    return { ok: true, value: found };
  },
};

const author = principal("instructor");
const admin = principal("admin");
const person = (tag: string, status: AccountMatch["status"] = "active") => {
  const account = { id: uuidv7(), email: `${tag}-${uuidv7()}@example.com`, status };
  accounts.push(account);
  return account;
};
const importCsv = (courseId: string, csv: string) =>
  courses.request<ImportReport>("POST", `/api/courses/${courseId}/enrollments/import`, {
    as: admin,
    body: csv,
    headers: { "content-type": "text/csv" },
  });
const count = async (sql: string, courseId: string) => (await pool.query<{ n: number }>(sql, [courseId])).rows[0]?.n;
const grants = (courseId: string) =>
  count("select count(*)::int as n from courses.enrollments where course_id = $1", courseId);
const grantEvents = (courseId: string) =>
  count(
    "select count(*)::int as n from courses.outbox where type = 'COURSE_ACCESS_GRANTED' and envelope->'data'->>'courseId' = $1",
    courseId,
  );

beforeAll(async () => {
  cache = await localKv();
  courses = inProcess(app, { EVENTS_QUEUE: recordingQueue(), CATALOG_CACHE: cache.kv, AUTH: auth });
});
afterAll(async () => {
  await cache?.dispose();
  await pool.end();
});

describe("resolving the rows' people", () => {
  it("asks the auth service once for the whole import, with the ids and the normalised addresses", async () => {
    const course = await publishedCourse(courses, author);
    const [ada, bob] = [person("ada"), person("bob")];
    lookups.length = 0;
    const answer = await importCsv(course.id, `user_id,email\n${ada.id},\n, ${bob.email.toUpperCase()} \n,x\n`);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body.summary).toEqual({ total: 3, granted: 2, alreadyEnrolled: 0, failed: 1 });
    expect(lookups).toEqual([{ ids: [ada.id], emails: [bob.email] }]);
  });

  it("does not ask at all when no row names anyone", async () => {
    const course = await publishedCourse(courses, author);
    lookups.length = 0;
    const answer = await importCsv(course.id, "email\nnot-an-address\n");
    expect(answer.body.rows.map((row) => row.reason)).toEqual(["invalid_row"]);
    expect(lookups).toEqual([]);
  });

  it("grants nothing when the auth service cannot answer (503), and the same file then imports", async () => {
    const course = await publishedCourse(courses, author);
    const ada = person("ada-down");
    authDown = true;
    try {
      const refused = await importCsv(course.id, `email\n${ada.email}\n`);
      expect(refused.status).toBe(503);
      expect(refused.headers.get("content-type")).toContain("application/problem+json");
      expect(await grants(course.id)).toBe(0);
    } finally {
      authDown = false;
    }
    expect((await importCsv(course.id, `email\n${ada.email}\n`)).body.summary.granted).toBe(1);
  });
});

describe("idempotence", () => {
  it("grants each person once when the same file is imported twice at the same moment", async () => {
    const course = await publishedCourse(courses, author);
    const people = Array.from({ length: 5 }, (_, index) => person(`race-${index}`));
    const csv = ["email", ...people.map((someone) => someone.email)].join("\n");
    const [first, second] = await Promise.all([importCsv(course.id, csv), importCsv(course.id, csv)]);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(first.body.summary.granted + second.body.summary.granted).toBe(5);
    expect(first.body.summary.alreadyEnrolled + second.body.summary.alreadyEnrolled).toBe(5);
    expect(await grants(course.id)).toBe(5);
    expect(await grantEvents(course.id)).toBe(5);
  });

  it("reports a grant withdrawn before under the same reference, and grants under a new one", async () => {
    const course = await publishedCourse(courses, author);
    const ada = person("withdrawn");
    await pool.query(
      "insert into courses.enrollments (id, user_id, course_id, via, reference, revoked_at) values ($1, $2, $3, 'integrator', 'import', now())",
      [uuidv7(), ada.id, course.id],
    );
    const withdrawn = await importCsv(course.id, `email\n${ada.email}\n`);
    expect(withdrawn.body.rows).toEqual([
      expect.objectContaining({ userId: ada.id, outcome: "failed", reason: "grant_withdrawn" }),
    ]);
    expect(await grantEvents(course.id)).toBe(0);
    const regranted = await importCsv(course.id, `email,reference\n${ada.email},contract-2\n`);
    expect(regranted.body.rows).toEqual([expect.objectContaining({ outcome: "granted", reference: "contract-2" })]);
    expect(await grantEvents(course.id)).toBe(1);
  });

  it("grants a disabled account nothing and a subscriber a grant of their own", async () => {
    const course = await publishedCourse(courses, author);
    const [off, subscriber] = [person("off", "disabled"), person("subscriber")];
    await pool.query("insert into courses.subscription_access (subscription_id, user_id) values ($1, $2)", [
      uuidv7(),
      subscriber.id,
    ]);
    const answer = await importCsv(course.id, `email\n${off.email}\n${subscriber.email}\n`);
    expect(answer.body.rows.map((row) => [row.outcome, row.reason])).toEqual([
      ["failed", "account_disabled"],
      ["granted", undefined],
    ]);
  });
});
