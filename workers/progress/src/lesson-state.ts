import { sql } from "drizzle-orm";

/**
 * Every time progress writes, on the database's clock and cut to milliseconds: what JSON carries
 * (ISO 8601 with milliseconds) is then exactly what is stored, so a cursor made of a time finds its
 * row again.
 */
export const NOW = sql`date_trunc('milliseconds', now())`;

/** Where a learner stands on one lesson. */
export type LessonState = "not-started" | "viewed" | "completed";

export function stateOf(row: { firstViewedAt: Date | null; completedAt: Date | null } | undefined): LessonState {
  if (row?.completedAt) return "completed";
  if (row?.firstViewedAt) return "viewed";
  return "not-started";
}

export function iso(date: Date | null): string | null {
  return date ? date.toISOString() : null;
}
