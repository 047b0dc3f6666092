import pg from "pg";
import { inject } from "vitest";
import { generateSigningKey } from "@platform/dev-stack";
import { inProcess, recordingQueue } from "../../../../test/support/in-process.ts";
import { app } from "../../src/app.ts";
import { RecordingNotifications } from "./notifications-stand-in.ts";
import { sessionStandIns } from "./session-stand-ins.ts";

export const PUBLIC_ORIGIN = "https://learn.test";

/**
 * The auth app in-process against the routes project's PostgreSQL, with a recording
 * notifications stand-in, in-memory session and throttle objects, and a fresh signing key; plus
 * a direct connection to look at (and age) what it stored.
 */
export async function authApp(vars: Record<string, string> = {}) {
  const notifications = new RecordingNotifications();
  const sessions = sessionStandIns();
  const client = inProcess(app, {
    NOTIFICATIONS: notifications,
    SESSIONS: sessions.SESSIONS,
    LOGIN_THROTTLE: sessions.LOGIN_THROTTLE,
    EVENTS_QUEUE: recordingQueue(),
    JWT_PRIVATE_KEYS: JSON.stringify([await generateSigningKey("routes-test")]),
    JWT_ISSUER: "https://issuer.test",
    JWT_AUDIENCE: "edge-learning-api",
    PUBLIC_ORIGIN,
    ...vars,
  });
  return { client, notifications, sessions };
}

export const database = new pg.Pool({ connectionString: inject("routesDatabaseUrl") });

let counter = 0;
export function uniqueEmail(tag: string): string {
  counter += 1;
  return `${tag}-${process.pid}-${Date.now()}-${counter}@example.com`;
}

export const GOOD_PASSWORD = "a perfectly fine passphrase";
export const OTHER_PASSWORD = "another quite fine passphrase";
