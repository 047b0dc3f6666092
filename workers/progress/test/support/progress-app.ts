import pg from "pg";
import { inject } from "vitest";
import { inProcess, recordingQueue } from "../../../../test/support/in-process.ts";
import { app } from "../../src/app.ts";
import { CoursesStandIn } from "./courses-stand-in.ts";
import { recordingHubs } from "./live-stand-in.ts";

/**
 * The progress app in-process against the routes project's PostgreSQL, with a courses stand-in
 * and recording live hubs, plus a direct connection to read what it stored.
 */
export function progressApp() {
  const courses = new CoursesStandIn();
  const hubs = recordingHubs();
  const client = inProcess(app, { COURSES: courses, LIVE_HUB: hubs.namespace, EVENTS_QUEUE: recordingQueue() });
  return { client, courses, hubs };
}

export const database = new pg.Pool({ connectionString: inject("routesDatabaseUrl") });

/** The event types this learner's progress wrote to the outbox, in order. */
export async function eventsOf(userId: string): Promise<{ type: string; data: Record<string, unknown> }[]> {
  const { rows } = await database.query<{ type: string; data: Record<string, unknown> }>(
    "select type, envelope->'data' as data from progress.outbox where envelope->'data'->>'userId' = $1 order by seq",
    [userId],
  );
  return rows;
}

export const typesOf = async (userId: string) => (await eventsOf(userId)).map((event) => event.type);
