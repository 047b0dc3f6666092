import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi, type MockInstance } from "vitest";
import type { RequestLogLine } from "@platform/http-kit";
import { inProcess, principal, recordingQueue, type Principal } from "../../../test/support/in-process.ts";
import { app } from "../src/app.ts";
import { publishedCourse } from "./in-process-authoring.ts";
import { localKv } from "./local-kv.ts";

/**
 * What the hot reads ask of PostgreSQL, counted from each request's log line (`db: { queries,
 * sessions }`, written by the database middleware): statements sent, and PostgreSQL sessions
 * opened. One statement per read, and no session of its own (single statements go over the
 * driver's HTTP query path); a read served from the cache asks nothing, so its line has no `db`.
 */

let cache: Awaited<ReturnType<typeof localKv>>;
let courses: ReturnType<typeof inProcess>;
beforeAll(async () => {
  cache = await localKv();
  courses = inProcess(app, {
    EVENTS_QUEUE: recordingQueue(),
    CATALOG_CACHE: cache.kv,
    // The users service's contract (packages/contracts/src/users-rpc.ts): it has its own database.
    USERS: { learnerName: async () => ({ ok: true, value: "Query Counter" }) },
  });
});
afterAll(() => cache?.dispose());

let consoleLog: MockInstance<typeof console.log>;
beforeEach(() => {
  consoleLog = vi.spyOn(console, "log");
});
afterEach(() => consoleLog.mockRestore());

const author = principal("instructor");

/** The database figures of the one request a call made, from its log line. */
async function databaseUse(method: string, path: string, as?: Principal): Promise<RequestLogLine["db"] | "none"> {
  consoleLog.mockClear();
  const answer = await courses.request(method, path, as ? { as } : {});
  expect(answer.status, `${method} ${path}`).toBe(200);
  const lines = consoleLog.mock.calls
    .map(([line]) =>
      typeof line === "string" && line.startsWith("{") ? (JSON.parse(line) as RequestLogLine) : undefined,
    )
    // Log lines leave query strings out.
    .filter((line) => line?.msg === "request" && line.path === path.split("?")[0]);
  expect(lines, "one request log line").toHaveLength(1);
  return lines[0]?.db ?? "none";
}

const ONE_QUERY = { queries: 1, sessions: 0 };

describe("queries and sessions per hot read", () => {
  it("the lesson list: one query for an anonymous miss, none for a hit, one for a learner with access and for the author", async () => {
    const course = await publishedCourse(courses, author);
    const path = `/api/courses/${course.id}/lessons`;
    expect(await databaseUse("GET", path)).toEqual(ONE_QUERY);
    expect(await databaseUse("GET", path)).toBe("none");

    const learner = principal("learner");
    expect((await courses.request("POST", `/api/courses/${course.id}/enroll`, { as: learner })).status).toBe(201);
    // Course, access and content together: the access check is part of the one statement.
    expect(await databaseUse("GET", path, learner)).toEqual(ONE_QUERY);
    expect(await databaseUse("GET", path, learner)).toEqual(ONE_QUERY);
    expect(await databaseUse("GET", path, principal("learner"))).toEqual(ONE_QUERY);
    expect(await databaseUse("GET", path, author)).toEqual(ONE_QUERY);
  });

  it("the course page: one query on a miss (by id, by slug, signed in or not), none on a hit", async () => {
    const course = await publishedCourse(courses, author);
    const byId = `/api/courses/${course.id}`;
    expect(await databaseUse("GET", byId)).toEqual(ONE_QUERY);
    expect(await databaseUse("GET", byId)).toBe("none");
    expect(await databaseUse("GET", byId, principal("learner"))).toBe("none");
    expect(await databaseUse("GET", byId, author)).toEqual(ONE_QUERY);

    const bySlug = `/api/courses/by-slug/${course.slug}`;
    // The first read by slug does not know the course yet; after it, the slug leads to the cached page.
    expect(await databaseUse("GET", bySlug)).toEqual(ONE_QUERY);
    expect(await databaseUse("GET", bySlug)).toBe("none");

    const other = await publishedCourse(courses, author);
    expect(await databaseUse("GET", `/api/courses/${other.id}`, principal("learner"))).toEqual(ONE_QUERY);
  });

  it("the catalog: one query on a miss, none on a hit, in every order, with every filter", async () => {
    const word = `countme${Date.now().toString(36)}`;
    for (const query of [
      `q=${word}`,
      `q=${word}&sort=newest`,
      `q=${word}&sort=popular&level=beginner&language=en&currency=EUR&minPrice=0&maxPrice=5000`,
      "sort=popular&limit=5",
    ]) {
      const path = `/api/courses?${query}`;
      expect(await databaseUse("GET", path), query).toEqual(ONE_QUERY);
      expect(await databaseUse("GET", path), query).toBe("none");
    }
  });

  it("the syllabus: one query on a miss (anonymous or signed in), none on a hit; always one for its author", async () => {
    const course = await publishedCourse(courses, author);
    const path = `/api/courses/${course.id}/outline`;
    expect(await databaseUse("GET", path)).toEqual(ONE_QUERY);
    expect(await databaseUse("GET", path)).toBe("none");
    expect(await databaseUse("GET", path, principal("learner"))).toBe("none");
    expect(await databaseUse("GET", path, author)).toEqual(ONE_QUERY);
  });
});
