import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DOMAIN_SERVICES } from "@platform/contracts";
import { backfillAll, migrateAll } from "@platform/db/migrate";
import { DEMO_USERS, MIGRATION_SETS, seedDemoData } from "@platform/dev-stack";
import { inProcess, recordingQueue, type InProcessApp } from "../../../test/support/in-process.ts";
import { app as authApp } from "../../../workers/auth/src/app.ts";
import { app as coursesApp } from "../../../workers/courses/src/app.ts";
import { app as eventsApp } from "../../../workers/events/src/app.ts";
import { app as notificationsApp } from "../../../workers/notifications/src/app.ts";
import { app as paymentsApp } from "../../../workers/payments/src/app.ts";
import { app as progressApp } from "../../../workers/progress/src/app.ts";
import { app as usersApp } from "../../../workers/users/src/app.ts";
import { codeMigrations } from "../src/migrations.ts";
import { runCli } from "./support/cli.ts";
import {
  createDrillDatabase,
  digestAll,
  dropServiceSchemas,
  schemasPresent,
  type TableDigest,
} from "./support/drill-database.ts";
import { rewriteBackup, textOf, withText } from "./support/rewrite-backup.ts";

/**
 * The restore drill: a database with rows in every service schema (the demo data, a profile
 * changed through the users worker, text that COPY must escape), `npm run backup`, the schemas
 * dropped, `npm run restore` — and every table holds the same rows, the workers find their schemas
 * migrated and read what was there. Then the refusals: a damaged, truncated or too-new backup, or a
 * target that is not empty, is refused, and the database is left as it was — never half-restored.
 */

const LEARNER = { userId: DEMO_USERS[2].id, roles: ["learner" as const] };
const DOMAIN_APPS: Record<string, InProcessApp> = {
  auth: authApp,
  users: usersApp,
  courses: coursesApp,
  payments: paymentsApp,
  progress: progressApp,
  notifications: notificationsApp,
  events: eventsApp,
};
/** What COPY's text format must carry through unchanged: tabs, newlines, backslashes, \N look-alikes, non-ASCII. */
const AWKWARD_TEXT = "Line one\n\tTabbed \\ back\\slash \\N not null\r\nÜnïcødé — 🎓 'quotes' \"double\"";

let drill: Awaited<ReturnType<typeof createDrillDatabase>>;
let pool: pg.Pool;
let env: Record<string, string>;
let folder: string;
let backupFile: string;
let before: Record<string, TableDigest>;

const users = () => inProcess(usersApp, { DATABASE_URL: drill.url, EVENTS_QUEUE: recordingQueue() });

beforeAll(async () => {
  drill = await createDrillDatabase(inject("routesDatabaseUrl"));
  pool = new pg.Pool({ connectionString: drill.url });
  env = { DATABASE_URL: drill.url };
  folder = mkdtempSync(join(tmpdir(), "backup-drill-"));
  backupFile = join(folder, "drill.tar.gz");
  await migrateAll(drill.url, MIGRATION_SETS);
  await seedDemoData(drill.url);
  await backfillAll(drill.url, MIGRATION_SETS);
  // Writes through a worker: the profile, and its events in the users outbox (an identity column).
  for (const name of ["Leo Restored", "Leo Twice"]) {
    expect((await users().request("PATCH", "/api/users/me", { as: LEARNER, body: { name } })).status).toBe(200);
  }
  await pool.query(
    "update courses.lessons set title = $1 where id = (select id from courses.lessons order by id limit 1)",
    [AWKWARD_TEXT],
  );
  // The newest event leaves: the sequence now stands past the highest row, as after any retention run.
  await pool.query("delete from users.outbox where seq = (select max(seq) from users.outbox)");
});

afterAll(async () => {
  await pool?.end();
  await drill?.drop();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

async function outboxSequence(): Promise<number> {
  const { rows } = await pool.query<{ last: string }>("select last_value::text as last from users.outbox_seq_seq");
  return Number(rows[0]?.last);
}

describe("the restore drill", () => {
  let sequenceBefore: number;

  it("backs up every service schema, with the migrations each had applied", async () => {
    before = await digestAll(pool);
    sequenceBefore = await outboxSequence();
    expect(Object.keys(before).length).toBeGreaterThan(40);
    for (const table of ["auth.accounts", "users.profiles", "users.outbox", "courses.lessons", "payments.plans"]) {
      expect(before[table]?.rows, table).toBeGreaterThan(0);
    }

    const run = await runCli("backup", ["--out", backupFile], env);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(MIGRATION_SETS.map((set) => set.schema)).toEqual([...DOMAIN_SERVICES]);
    for (const set of MIGRATION_SETS) {
      const last = codeMigrations(set).at(-1)?.tag;
      expect(run.stdout).toMatch(new RegExp(`^${set.schema} .* at ${last}$`, "m"));
    }
  });

  it("restores into the emptied database the same rows in every table", async () => {
    await dropServiceSchemas(pool);
    expect(await schemasPresent(pool)).toEqual([]);

    const run = await runCli("restore", [backupFile], env);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("every table matches the backup's checksum");

    expect(await digestAll(pool)).toEqual(before);
    const { rows } = await pool.query<{ title: string }>(
      "select title from courses.lessons where id = (select id from courses.lessons order by id limit 1)",
    );
    expect(rows[0]?.title).toBe(AWKWARD_TEXT);
  });

  it("leaves every worker healthy and reading what was there", async () => {
    for (const [service, app] of Object.entries(DOMAIN_APPS)) {
      const health = await inProcess(app, { DATABASE_URL: drill.url }).request<{ status: string }>("GET", "/health");
      expect(health.status, service).toBe(200);
      expect(health.body.status, service).toBe("pass");
    }
    const me = await users().request<{ name: string }>("GET", "/api/users/me", { as: LEARNER });
    expect(me.status).toBe(200);
    expect(me.body.name).toBe("Leo Twice");
  });

  it("goes on numbering outbox events past every number handed out before the backup", async () => {
    expect(await outboxSequence()).toBe(sequenceBefore);
    const changed = await users().request("PATCH", "/api/users/me", { as: LEARNER, body: { name: "Leo Again" } });
    expect(changed.status).toBe(200);
    const { rows } = await pool.query<{ top: string }>("select max(seq)::text as top from users.outbox");
    expect(Number(rows[0]?.top)).toBe(sequenceBefore + 1);
  });
});

describe("refusing a backup it cannot restore faithfully", () => {
  let current: Record<string, TableDigest>;
  beforeAll(async () => {
    current = await digestAll(pool);
  });

  it("refuses a backup whose table file was altered, and rolls back everything, the --drop too", async () => {
    const damaged = join(folder, "altered.tar.gz");
    await rewriteBackup(backupFile, damaged, (entries) =>
      entries.map((entry) =>
        entry.header.name === "data/courses/lessons.copy"
          ? withText(entry, textOf(entry).replace("Line one", "Line 0ne"))
          : entry,
      ),
    );
    const run = await runCli("restore", [damaged, "--drop", "--confirm", new URL(drill.url).pathname.slice(1)], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("courses.lessons in the file does not match the backup's manifest");
    expect(run.stderr).toContain("Nothing was restored");
    expect(await digestAll(pool)).toEqual(current);
  });

  it("refuses a truncated file and creates nothing in an empty database", async () => {
    const empty = await createDrillDatabase(inject("routesDatabaseUrl"));
    const emptyPool = new pg.Pool({ connectionString: empty.url });
    try {
      const { readFileSync } = await import("node:fs");
      const whole = readFileSync(backupFile);
      const truncated = join(folder, "truncated.tar.gz");
      writeFileSync(truncated, whole.subarray(0, Math.floor(whole.length * 0.8)));
      const run = await runCli("restore", [truncated], { DATABASE_URL: empty.url });
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/not a readable backup|truncated/);
      expect(await schemasPresent(emptyPool)).toEqual([]);
    } finally {
      await emptyPool.end();
      await empty.drop();
    }
  });

  it("refuses a backup taken by newer code (a migration this checkout lacks) before touching the database", async () => {
    const newer = join(folder, "newer.tar.gz");
    await rewriteBackup(backupFile, newer, (entries) =>
      entries.map((entry) => {
        if (entry.header.name !== "manifest.json") return entry;
        const manifest = JSON.parse(textOf(entry)) as {
          schemas: { name: string; migrations: { tag: string | null; hash: string; createdAt: number }[] }[];
        };
        const payments = manifest.schemas.find((schema) => schema.name === "payments");
        payments?.migrations.push({ tag: "0099_from_the_future", hash: "f".repeat(64), createdAt: 4_102_444_800_000 });
        return withText(entry, JSON.stringify(manifest));
      }),
    );
    const run = await runCli("restore", [newer, "--drop", "--confirm", new URL(drill.url).pathname.slice(1)], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      "The backup is newer than this code: schema payments had migration 0099_from_the_future",
    );
    expect(await digestAll(pool)).toEqual(current);
  });

  it("refuses to restore over existing schemas unless told to drop them and which database it is", async () => {
    const plain = await runCli("restore", [backupFile], env);
    expect(plain.code).toBe(1);
    expect(plain.stderr).toContain("already has schemas auth, courses, events");
    expect(plain.stderr).toContain("--drop --confirm");

    const unconfirmed = await runCli("restore", [backupFile, "--drop", "--confirm", "some-other-database"], env);
    expect(unconfirmed.code).toBe(1);
    expect(unconfirmed.stderr).toContain("--drop deletes schemas");
    expect(await digestAll(pool)).toEqual(current);
  });

  it("says what is wrong with a missing file, a file that is no backup, or a wrong DATABASE_URL — never the password", async () => {
    const missing = await runCli("restore", [join(folder, "nowhere.tar.gz")], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("No backup file at");

    const notBackup = join(folder, "notes.tar.gz");
    writeFileSync(notBackup, "just some text\n");
    const garbage = await runCli("restore", [notBackup], env);
    expect(garbage.code).toBe(1);
    expect(garbage.stderr).toContain("is not a readable backup");

    const wrong = new URL(drill.url);
    wrong.password = "s3cret-never-printed";
    wrong.port = "1";
    for (const command of ["backup", "restore"] as const) {
      const run = await runCli(command, command === "backup" ? ["--out", join(folder, "x.tar.gz")] : [backupFile], {
        DATABASE_URL: wrong.toString(),
      });
      expect(run.code, command).toBe(1);
      expect(run.stderr, command).toContain("Cannot reach the PostgreSQL at DATABASE_URL=");
      expect(run.stderr + run.stdout, command).not.toContain("s3cret-never-printed");
    }
  });
});
