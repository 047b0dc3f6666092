import { and, eq, inArray, isNull } from "drizzle-orm";
import type { AccountMatch } from "@platform/contracts";
import { ProblemError } from "@platform/http-kit";
import { enrollments } from "../db/schema.ts";
import type { Database } from "../db/database.ts";
import { grantAccess } from "../enrollments.ts";
import { findCourse } from "../permissions.ts";
import { isInvalid, type ImportRow, type ParsedRow } from "./rows.ts";

export type FailureReason =
  "invalid_row" | "unknown_account" | "account_disabled" | "duplicate_in_file" | "grant_withdrawn";

export interface RowReport {
  readonly line: number;
  /** The account the row named (found by its address for an email row). */
  readonly userId?: string;
  readonly email?: string;
  readonly reference?: string;
  readonly outcome: "granted" | "already_enrolled" | "failed";
  readonly reason?: FailureReason;
  readonly detail: string;
}

export interface ImportReport {
  readonly summary: { total: number; granted: number; alreadyEnrolled: number; failed: number };
  readonly rows: RowReport[];
}

/** Finds the accounts that rows name, all at once (the auth service's one call per import). */
export type AccountFinder = (query: { ids: string[]; emails: string[] }) => Promise<AccountMatch[]>;

/** The reference of an imported grant whose row gave none: a second import of the row finds it. */
export const DEFAULT_IMPORT_REFERENCE = "import";

/**
 * Grants access to a published course to every person the rows name, as an integrator's
 * enrollment does (`via: "integrator"`, COURSE_ACCESS_GRANTED in the grant's own transaction).
 * Each row is its own unit: it is granted, found already enrolled, or fails with a reason, and no
 * row's failure undoes another's grant. Importing the same rows again grants nothing new.
 */
export async function importEnrollments(
  db: Database,
  findAccounts: AccountFinder,
  courseId: string,
  rows: readonly ParsedRow[],
  context: { correlationId: string },
): Promise<ImportReport> {
  const course = await findCourse(db, courseId);
  if (!course) throw new ProblemError("not-found", { detail: "No such course." });
  if (course.status !== "published") {
    throw new ProblemError("conflict", {
      detail: `The course is ${course.status}: only a published course takes enrollments, as learners could not open it.`,
    });
  }
  const reports = new Map<number, RowReport>();
  const people = await resolvePeople(findAccounts, rows, reports);
  const enrolled = await enrolledAmong(
    db,
    course.id,
    people.map((person) => person.userId),
  );
  for (const person of people) {
    const { row, userId } = person;
    const shown = { ...shownRow(row), userId };
    if (enrolled.has(userId)) {
      reports.set(row.line, { ...shown, outcome: "already_enrolled", detail: "Already has access to this course." });
      continue;
    }
    const reference = row.reference ?? DEFAULT_IMPORT_REFERENCE;
    const granted = await db.transaction((tx) =>
      grantAccess(tx, { userId, courseId: course.id, via: "integrator", reference }, context),
    );
    if (granted) {
      reports.set(row.line, { ...shown, outcome: "granted", detail: "Access granted." });
    } else if ((await enrolledAmong(db, course.id, [userId])).has(userId)) {
      // Granted a moment ago by a concurrent import of the same row.
      reports.set(row.line, { ...shown, outcome: "already_enrolled", detail: "Already has access to this course." });
    } else {
      reports.set(row.line, {
        ...shown,
        outcome: "failed",
        reason: "grant_withdrawn",
        detail: `A grant with the reference "${reference}" was made before and withdrawn; send another reference to grant again.`,
      });
    }
  }
  const ordered = rows.map((row) => reports.get(row.line)).filter((report) => report !== undefined);
  return { summary: summarise(ordered), rows: ordered };
}

interface Person {
  readonly row: ImportRow;
  readonly userId: string;
}

/**
 * Each valid row's active account, with one look-up for the whole import. Rows that name nobody
 * usable, or someone an earlier row already named, are reported here and left out.
 */
async function resolvePeople(
  findAccounts: AccountFinder,
  rows: readonly ParsedRow[],
  reports: Map<number, RowReport>,
): Promise<Person[]> {
  const valid = rows.filter((row) => {
    if (!isInvalid(row)) return true;
    reports.set(row.line, { ...shownRow(row), outcome: "failed", reason: "invalid_row", detail: row.invalid });
    return false;
  });
  const ids = valid.flatMap((row) => (row.userId ? [row.userId] : []));
  const emails = valid.flatMap((row) => (row.email ? [normaliseEmail(row.email)] : []));
  const accounts = ids.length + emails.length > 0 ? await findAccounts({ ids, emails }) : [];
  const byId = new Map(accounts.map((account) => [account.id, account]));
  const byEmail = new Map(accounts.map((account) => [account.email, account]));
  const firstLineOf = new Map<string, number>();
  const people: Person[] = [];
  for (const row of valid) {
    const account = row.userId ? byId.get(row.userId) : byEmail.get(normaliseEmail(row.email ?? ""));
    const fail = (reason: FailureReason, detail: string, userId?: string) =>
      reports.set(row.line, { ...shownRow(row), ...(userId && { userId }), outcome: "failed", reason, detail });
    if (!account) {
      fail("unknown_account", row.userId ? "No account has this id." : "No account has this address.");
      continue;
    }
    if (account.status !== "active") {
      fail("account_disabled", "The account is disabled.", account.id);
      continue;
    }
    const earlier = firstLineOf.get(account.id);
    if (earlier !== undefined) {
      fail("duplicate_in_file", `The same person as line ${earlier}; imported once, there.`, account.id);
      continue;
    }
    firstLineOf.set(account.id, row.line);
    people.push({ row, userId: account.id });
  }
  return people;
}

/** The auth service's rule: addresses are compared trimmed and lower-cased. */
const normaliseEmail = (email: string) => email.trim().toLowerCase();

/** Which of these people hold an active grant of the course (one query for the whole import). */
async function enrolledAmong(db: Database, courseId: string, userIds: readonly string[]): Promise<Set<string>> {
  if (userIds.length === 0) return new Set();
  const found = await db
    .selectDistinct({ userId: enrollments.userId })
    .from(enrollments)
    .where(
      and(eq(enrollments.courseId, courseId), inArray(enrollments.userId, [...userIds]), isNull(enrollments.revokedAt)),
    );
  return new Set(found.map((grant) => grant.userId));
}

function shownRow(row: ImportRow): Omit<RowReport, "outcome" | "detail"> {
  return {
    line: row.line,
    ...(row.userId !== undefined && { userId: row.userId }),
    ...(row.email !== undefined && { email: row.email }),
    ...(row.reference !== undefined && { reference: row.reference }),
  };
}

function summarise(rows: readonly RowReport[]): ImportReport["summary"] {
  const count = (outcome: RowReport["outcome"]) => rows.filter((row) => row.outcome === outcome).length;
  return {
    total: rows.length,
    granted: count("granted"),
    alreadyEnrolled: count("already_enrolled"),
    failed: count("failed"),
  };
}
