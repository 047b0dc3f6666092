import type { LiveMessage, LivePublishResult, ProgressRpc, RpcResult } from "@platform/contracts";
import { createDomainApp } from "@platform/service-kit";
import pg from "pg";
import { v7 as uuidv7 } from "uuid";
import { inject } from "vitest";
import { databaseBindings, inProcess, recordingQueue, type InProcessApp } from "../../../test/support/in-process.ts";
import * as schema from "../src/db/schema.ts";
import type { NotificationsEnv } from "../src/env.ts";
import { inboxRoutes } from "../src/routes/index.ts";

/**
 * The inbox, preferences and unsubscribe routes in-process against the routes project's PostgreSQL, on
 * a domain app built exactly as `src/app.ts` builds the worker's (same kit, same schema) but holding only
 * these routes, so their tests do not depend on the rest of the worker. Plus a recording `publishLive`
 * stand-in and a direct connection to write notices and read what was stored.
 */
export const UNSUBSCRIBE_SECRET = "routes-test-unsubscribe-secret-0123456789abcdef";
export const PUBLIC_ORIGIN = "http://learn.test";

export function inboxApp() {
  const app = createDomainApp<NotificationsEnv, typeof schema>({ service: "notifications", schema });
  app.route("/", inboxRoutes);
  const live = recordingLive();
  const bindings = { PROGRESS: live, UNSUBSCRIBE_SECRET, PUBLIC_ORIGIN, EVENTS_QUEUE: recordingQueue() };
  return { app, live, client: inProcess(app, bindings), raw: rawClient(app, bindings) };
}

/** `PROGRESS.publishLive` keeping what each person was sent; `failing` makes it throw, as an unreachable hub. */
export function recordingLive() {
  const sent: { userId: string; message: LiveMessage }[] = [];
  const live = {
    sent,
    failing: false,
    messagesOf: (userId: string) => sent.filter((entry) => entry.userId === userId).map((entry) => entry.message),
    publishLive: async (
      userId: string,
      message: LiveMessage,
    ): Promise<RpcResult<LivePublishResult, "invalid_message" | "unavailable">> => {
      if (live.failing) throw new Error("the progress worker cannot be reached");
      sent.push({ userId, message });
      return { ok: true, value: { seq: sent.length, sockets: 1 } };
    },
  } satisfies Pick<ProgressRpc, "publishLive"> & Record<string, unknown>;
  return live;
}

/**
 * Requests whose answers are not JSON (the unsubscribe pages, a 204) or whose bodies are forms, with no
 * principal headers: what a browser or a mail client sends. Waits for the request's `waitUntil` work.
 */
function rawClient(app: InProcessApp, bindings: object) {
  const env = { ...databaseBindings(), ...bindings };
  return async (method: string, path: string, init: { headers?: Record<string, string>; body?: string } = {}) => {
    const pending: Promise<unknown>[] = [];
    const ctx = {
      waitUntil: (promise: Promise<unknown>) => void pending.push(promise),
      passThroughOnException() {},
      props: {},
    };
    const response = await app.request(`http://worker.internal${path}`, { method, ...init }, env, ctx);
    const text = await response.text();
    while (pending.length > 0) await Promise.allSettled(pending.splice(0));
    return { status: response.status, headers: response.headers, text };
  };
}

export const database = new pg.Pool({ connectionString: inject("routesDatabaseUrl") });
// An idle connection dropped at teardown must not surface as an uncaught error.
database.on("error", () => {});

/** Writes a notice as the delivery code would; `createdAt` set to share a timestamp with others. */
export async function insertNotice(
  userId: string,
  options: { createdAt?: string; readAt?: string; category?: string; title?: string } = {},
): Promise<string> {
  const id = uuidv7();
  await database.query(
    `insert into notifications.notices (id, user_id, category, template, title, body, link, created_at, read_at)
     values ($1, $2, $3, 'course-completed', $4, 'Well done.', '/courses/x', coalesce($5::timestamptz, now()), $6)`,
    [
      id,
      userId,
      options.category ?? "learning",
      options.title ?? `Notice ${id}`,
      options.createdAt ?? null,
      options.readAt ?? null,
    ],
  );
  return id;
}

/** The stored preference rows of a person, as `category/channel=enabled`. */
export async function storedPreferences(userId: string): Promise<string[]> {
  const { rows } = await database.query<{ category: string; channel: string; enabled: boolean }>(
    "select category, channel, enabled from notifications.preferences where user_id = $1 order by category, channel",
    [userId],
  );
  return rows.map((row) => `${row.category}/${row.channel}=${row.enabled}`);
}
