// The hot queries' plans at volume, for docs/scaling.md:
//   node tools/bench/src/seed-volume-plans.ts [--write docs/scaling.md]
// Starts an embedded PostgreSQL in a throw-away folder (or uses DATABASE_URL, which must be migrated and
// otherwise empty), seeds it (seed-volume.ts), runs each hot query's own code (seed-volume-queries.ts) on a
// connection that records every statement drizzle sends, and prints EXPLAIN (ANALYZE, BUFFERS) of each.
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import { migrateAll } from "@platform/db/migrate";
import { freePort, MIGRATION_SETS, startEmbeddedPostgres, type EmbeddedDatabase } from "@platform/dev-stack";
import { DEFAULT_VOLUME, seedVolume, tableSizes } from "./seed-volume.ts";
import {
  coursesSchema,
  HOT_QUERIES,
  notificationsSchema,
  pickSubjects,
  progressSchema,
  type HotQuery,
  type Subjects,
  type VolumeDatabases,
} from "./seed-volume-queries.ts";

export const PLANS_START = "<!-- seed-volume-plans:start -->";
export const PLANS_END = "<!-- seed-volume-plans:end -->";

export interface Statement {
  readonly sql: string;
  readonly params: readonly unknown[];
}

export interface StatementPlan extends Statement {
  readonly plan: string;
  readonly indexes: readonly string[];
  readonly seqScans: readonly string[];
  readonly executionMs: number;
}

/** Indexes a text plan reads, in order of first use. */
export function indexesIn(plan: string): string[] {
  const found = [
    ...plan.matchAll(/(?:Index Scan|Index Only Scan|Bitmap Index Scan)(?: Backward)? (?:using|on) (\S+)/g),
  ];
  return [...new Set(found.map((match) => match[1] ?? ""))];
}

export function seqScansIn(plan: string): string[] {
  return [...new Set([...plan.matchAll(/Seq Scan on (\S+)/g)].map((match) => match[1] ?? ""))];
}

/** Runs `query`'s own code in a transaction that is rolled back, and answers the statements it sent. */
export async function captureStatements(client: pg.Client, query: HotQuery, subjects: Subjects): Promise<Statement[]> {
  const statements: Statement[] = [];
  const logger = { logQuery: (sql: string, params: unknown[]) => statements.push({ sql, params }) };
  const courses = drizzle({ client, schema: coursesSchema, logger });
  const progress = drizzle({ client, schema: progressSchema, logger });
  const notifications = drizzle({ client, schema: notificationsSchema, logger });
  const rolledBack = new Error("rolled back on purpose");
  await client.query("begin");
  try {
    // The code takes the Neon driver's database type; node-postgres's drizzle sends the same SQL.
    const databases = { courses, progress, notifications } as unknown as VolumeDatabases;
    await query.run(databases, subjects);
    throw rolledBack;
  } catch (error) {
    if (error !== rolledBack) throw error;
  } finally {
    await client.query("rollback");
  }
  const seen = new Set<string>();
  // Transaction control (begin, savepoint, commit) is logged too; only the work is planned, each statement once.
  return statements.filter(
    (statement) =>
      /^\s*\(?\s*(select|insert|update|delete|with)\b/i.test(statement.sql) &&
      !seen.has(statement.sql) &&
      seen.add(statement.sql),
  );
}

/** EXPLAIN (ANALYZE, BUFFERS) in a transaction rolled back (writes are executed by ANALYZE); the second run is kept, warm. */
async function explain(client: pg.Client, statement: Statement): Promise<StatementPlan> {
  let plan = "";
  for (let run = 0; run < 2; run++) {
    await client.query("begin");
    try {
      const result = await client.query<{ "QUERY PLAN": string }>(`explain (analyze, buffers) ${statement.sql}`, [
        ...statement.params,
      ]);
      plan = result.rows.map((row) => row["QUERY PLAN"]).join("\n");
    } finally {
      await client.query("rollback");
    }
  }
  const executionMs = Number(/Execution Time: ([\d.]+) ms/.exec(plan)?.[1] ?? Number.NaN);
  return { ...statement, plan, indexes: indexesIn(plan), seqScans: seqScansIn(plan), executionMs };
}

/** A plan node as EXPLAIN (FORMAT JSON) gives it, for tests that check which index a statement reads. */
export interface PlanNode {
  readonly "Node Type": string;
  readonly "Relation Name"?: string;
  readonly "Index Name"?: string;
  readonly Plans?: readonly PlanNode[];
}

/** Every node of a statement's plan (EXPLAIN without ANALYZE: nothing is executed), depth first. */
export async function planNodesOf(client: pg.Client, statement: Statement): Promise<PlanNode[]> {
  const result = await client.query<{ "QUERY PLAN": [{ Plan: PlanNode }] }>(`explain (format json) ${statement.sql}`, [
    ...statement.params,
  ]);
  const nodes: PlanNode[] = [];
  const walk = (node: PlanNode) => {
    nodes.push(node);
    for (const child of node.Plans ?? []) walk(child);
  };
  const root = result.rows[0]?.["QUERY PLAN"][0]?.Plan;
  if (root) walk(root);
  return nodes;
}

export interface QueryPlans {
  readonly query: HotQuery;
  readonly statements: readonly StatementPlan[];
}

export async function planHotQueries(client: pg.Client): Promise<QueryPlans[]> {
  const subjects = await pickSubjects(client);
  const plans: QueryPlans[] = [];
  for (const query of HOT_QUERIES) {
    const statements: StatementPlan[] = [];
    for (const statement of await captureStatements(client, query, subjects))
      statements.push(await explain(client, statement));
    plans.push({ query, statements });
  }
  return plans;
}

const param = (value: unknown) => (value instanceof Date ? value.toISOString() : JSON.stringify(value));

function renderQuery({ query, statements }: QueryPlans): string {
  const used = [...new Set(statements.flatMap((s) => s.indexes))];
  const seq = [...new Set(statements.flatMap((s) => s.seqScans))];
  const missing = query.intendedIndexes.filter((index) => !used.includes(index));
  return [
    `### ${query.name}`,
    "",
    `\`${query.code}\` (${query.worker}). Indexes used: ${used.map((i) => `\`${i}\``).join(", ") || "none"}` +
      `${seq.length ? `; sequential scans: ${seq.map((t) => `\`${t}\``).join(", ")}` : ""}` +
      `${missing.length ? `; **intended but not used: ${missing.map((i) => `\`${i}\``).join(", ")}**` : ""}. ` +
      `Execution: ${statements.map((s) => `${s.executionMs.toFixed(3)} ms`).join(" + ")}.`,
    "",
    ...statements.flatMap((s) => [
      "```sql",
      s.sql,
      ...(s.params.length ? [`-- params: ${s.params.map(param).join(", ")}`] : []),
      "```",
      "",
      "```text",
      s.plan,
      "```",
      "",
    ]),
  ].join("\n");
}

export function renderPlans(plans: readonly QueryPlans[], sizes: readonly { table: string; rows: number }[]): string {
  return [
    PLANS_START,
    "",
    `Produced by \`node tools/bench/src/seed-volume-plans.ts --write docs/scaling.md\` on ${new Date().toISOString().slice(0, 10)}` +
      ` (PostgreSQL embedded, seeded by \`tools/bench/src/seed-volume.ts\`, then \`VACUUM (ANALYZE)\`; each plan is the` +
      " second of two runs, so the buffers are warm). Rows per table:",
    "",
    "| table | rows |",
    "| --- | ---: |",
    ...sizes.map((size) => `| \`${size.table}\` | ${size.rows.toLocaleString("en-US")} |`),
    "",
    ...plans.map(renderQuery),
    PLANS_END,
  ].join("\n");
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { write: { type: "string" } }, strict: true });
  const say = (message: string) => console.error(message);
  let embedded: EmbeddedDatabase | undefined;
  let dataDir: string | undefined;
  let databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    dataDir = mkdtempSync(join(tmpdir(), "seed-volume-"));
    chmodSync(dataDir, 0o755); // as root, PostgreSQL runs as its own user
    say("Starting an embedded PostgreSQL and migrating it …");
    embedded = await startEmbeddedPostgres({
      dataDir: join(dataDir, "postgres"),
      port: await freePort(),
      database: "volume",
      logFile: join(dataDir, "postgres.log"),
    });
    databaseUrl = embedded.connectionString;
    await migrateAll(databaseUrl, MIGRATION_SETS);
  }
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    say(`Seeding (${JSON.stringify(DEFAULT_VOLUME)}) …`);
    await seedVolume(client, DEFAULT_VOLUME, say);
    say("Planning the hot queries …");
    const markdown = renderPlans(await planHotQueries(client), await tableSizes(client));
    if (values.write) {
      const current = readFileSync(values.write, "utf8");
      const start = current.indexOf(PLANS_START);
      const end = current.indexOf(PLANS_END);
      if (start < 0 || end < start) throw new Error(`${values.write} has no ${PLANS_START} … ${PLANS_END} section`);
      writeFileSync(values.write, current.slice(0, start) + markdown + current.slice(end + PLANS_END.length));
      say(`Plans written into ${values.write}.`);
    } else {
      console.log(markdown);
    }
  } finally {
    await client.end();
    await embedded?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
