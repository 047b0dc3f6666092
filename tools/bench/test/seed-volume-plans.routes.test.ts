import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { migrateAll } from "@platform/db/migrate";
import { MIGRATION_SETS } from "@platform/dev-stack";
import { captureStatements, planNodesOf, type PlanNode } from "../src/seed-volume-plans.ts";
import { hotQuery, pickSubjects, type Subjects } from "../src/seed-volume-queries.ts";
import { seedVolume } from "../src/seed-volume.ts";

/**
 * Issue 17: the hot queries keep reading the indexes docs/scaling.md names for them at the volume a
 * platform in use reaches (2,000 courses, 50,000 enrolments, 100,000 outbox rows of which 1 % pending:
 * seed-volume.ts), where the planner no longer scans small tables whole. Each query is the worker's own
 * code (seed-volume-queries.ts) whose statements are captured as drizzle sends them, then explained.
 * A database of its own in the routes project's PostgreSQL, migrated by the committed migrations.
 */
const routesUrl = inject("routesDatabaseUrl");
const name = `plans_${process.pid}`;
const admin = new pg.Client({ connectionString: routesUrl });
let client: pg.Client;
let subjects: Subjects;

beforeAll(async () => {
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.query(`create database ${name}`);
  const url = new URL(routesUrl);
  url.pathname = `/${name}`;
  await migrateAll(url.href, MIGRATION_SETS);
  client = new pg.Client({ connectionString: url.href });
  await client.connect();
  await seedVolume(client);
  subjects = await pickSubjects(client);
});

afterAll(async () => {
  await client?.end();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
});

/** The plan nodes of every statement the query's code sends. */
async function plansOf(id: string): Promise<PlanNode[][]> {
  const statements = await captureStatements(client, hotQuery(id), subjects);
  expect(statements.length, `${id} sent no statement`).toBeGreaterThan(0);
  return Promise.all(statements.map((statement) => planNodesOf(client, statement)));
}

const indexReads = (nodes: readonly PlanNode[]) =>
  nodes.filter((node) => node["Index Name"] !== undefined).map((node) => `${node["Node Type"]} ${node["Index Name"]}`);
const seqScans = (nodes: readonly PlanNode[]) =>
  nodes.filter((node) => node["Node Type"] === "Seq Scan").map((node) => node["Relation Name"]);

describe("the hot queries' plans at volume", () => {
  it("the outbox claim reads the unqueued rows from outbox_unqueued_idx, never the 100,000-row table", async () => {
    const [claim = [], mark = []] = await plansOf("outbox-claim");
    expect(indexReads(claim)).toContain("Index Scan outbox_unqueued_idx");
    expect(seqScans(claim)).toEqual([]);
    // Marking the claimed rows queued finds them by primary key.
    expect(indexReads(mark).some((read) => read.endsWith("outbox_pkey"))).toBe(true);
    expect(seqScans(mark)).toEqual([]);
  });

  it("the sweep's re-send reads the queued, unconfirmed rows from outbox_unconfirmed_idx", async () => {
    const [claim = []] = await plansOf("outbox-resend");
    expect(indexReads(claim)).toContain("Index Scan outbox_unconfirmed_idx");
    expect(seqScans(claim)).toEqual([]);
  });

  it("the notifications sweep claims due deliveries from deliveries_due_idx", async () => {
    const [claim = []] = await plansOf("deliveries-claim");
    expect(indexReads(claim)).toContain("Index Scan deliveries_due_idx");
    expect(seqScans(claim)).toEqual([]);
  });

  it("the catalog's first page, its filters and a search each read their index, newest first without a sort", async () => {
    const [newest = []] = await plansOf("catalog-newest");
    expect(indexReads(newest)).toEqual(["Index Scan courses_published_idx"]);
    expect(newest.map((node) => node["Node Type"])).not.toContain("Sort");
    const [filtered = []] = await plansOf("catalog-filtered");
    expect(indexReads(filtered)).toEqual(["Index Scan courses_catalog_idx"]);
    expect(filtered.map((node) => node["Node Type"])).not.toContain("Sort");
    const [search = []] = await plansOf("catalog-search-rare");
    expect(indexReads(search)).toContain("Bitmap Index Scan courses_search_document_idx");
    expect(seqScans(search)).toEqual([]);
  });

  it("the popular order counts each course's learners from enrollments_course_idx alone, not from every grant's row", async () => {
    const [popular = []] = await plansOf("catalog-popular");
    expect(indexReads(popular)).toContain("Index Only Scan enrollments_course_idx");
    expect(seqScans(popular)).not.toContain("enrollments");
  });

  it("a course page, its lesson list and a lesson read by key, with the caller's access from an index on (user, course)", async () => {
    for (const id of ["course-page", "outline", "lesson"]) {
      const [read = []] = await plansOf(id);
      expect(seqScans(read), id).toEqual([]);
      expect(indexReads(read), id).toContainEqual(
        expect.stringMatching(/ enrollments_(user_idx|course_idx|grant_key)$/),
      );
    }
  });

  it("a player's position is read and written by primary keys, with no table scanned", async () => {
    const plans = await plansOf("progress-position");
    expect(plans).toHaveLength(2);
    for (const nodes of plans) expect(seqScans(nodes)).toEqual([]);
    const reads = plans.flatMap(indexReads);
    expect(reads.some((read) => read.endsWith("lesson_progress_user_id_lesson_id_pk"))).toBe(true);
    expect(reads.some((read) => read.endsWith("course_progress_user_id_course_id_pk"))).toBe(true);
  });
});
