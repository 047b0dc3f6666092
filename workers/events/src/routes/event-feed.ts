import { OpenAPIHono, z } from "@hono/zod-openapi";
import { openDatabase } from "@platform/db";
import { EVENT_TYPES, type EventType } from "@platform/events";
import { errorText, logLine } from "@platform/http-kit";
import { anyRole, defineRoute, json, problem, withScope } from "@platform/service-kit";
import * as schema from "../db/schema.ts";
import type { EventsBindings, EventsEnv } from "../env.ts";
import { readFeed } from "../event-feed.ts";
import { feedStream } from "../event-feed-stream.ts";
import { FEED_START, decodeFeedCursor, parseFeedTypes } from "../feed-cursor.ts";

/**
 * The event feed (docs/integrators.md#event-feed): a page at a time, and as Server-Sent Events.
 * It carries the events whole, personal data included (a USER_CREATED's email and name), so it is
 * for admins and their API keys with `events:read` only.
 */
const readers = withScope(
  anyRole(["admin"], "Only an admin, or an API key with events:read, can read the event feed."),
  "events:read",
);

const cursor = z
  .string()
  .refine((value) => decodeFeedCursor(value) !== undefined, { message: "Not a cursor of the event feed." })
  .openapi({
    description: "A cursor the feed gave (an item's `cursor`, `nextCursor`, an SSE id); `0` is the start",
    example: "0",
  });

const types = z
  .string()
  .refine((value) => parseFeedTypes(value) !== undefined, {
    message: `Comma-separated event types, each one of: ${EVENT_TYPES.join(", ")}.`,
  })
  .openapi({
    description: "Only these event types, comma-separated (e.g. `USER_CREATED,COURSE_PURCHASED`)",
    example: "USER_CREATED,COURSE_PURCHASED",
  });

const feedItem = z
  .object({
    cursor: z.string(),
    id: z.uuid(),
    type: z.enum(EVENT_TYPES as [EventType, ...EventType[]]),
    source: z.string(),
    version: z.int(),
    aggregateId: z.string(),
    data: z.record(z.string(), z.unknown()),
    metadata: z.object({
      timestamp: z.iso.datetime({ offset: true }),
      correlationId: z.string(),
      traceparent: z.string().optional(),
    }),
  })
  .openapi("EventFeedItem");

const page = defineRoute(readers, {
  method: "get",
  operationId: "readEventFeed",
  path: "/api/events",
  summary: "The platform's events, oldest first, after a cursor (admin, or an API key with events:read)",
  description:
    "Every event the platform delivered, each once, in a stable order: reading again after the same cursor " +
    "answers the same events in the same order (but for events erased with their person, and entries past " +
    "their retention). Page on with `after=nextCursor` while `hasMore`; poll with it for what comes next.",
  tags: ["events"],
  request: {
    query: z.object({
      after: cursor.optional(),
      types: types.optional(),
      limit: z.coerce.number().int().min(1).max(500).default(100),
    }),
  },
  responses: {
    200: {
      description: "A page of the feed",
      content: json(z.object({ items: z.array(feedItem), nextCursor: z.string(), hasMore: z.boolean() })),
    },
    400: problem("A cursor this feed did not give, an unknown event type, or a limit outside 1..500"),
  },
});

const stream = defineRoute(readers, {
  method: "get",
  operationId: "streamEventFeed",
  path: "/api/events/stream",
  summary: "The platform's events as Server-Sent Events, live, resuming after Last-Event-ID (admin, or events:read)",
  description:
    "Sends every event after the cursor (`Last-Event-ID`, else `after`, else the start), then each new one as it is " +
    "recorded: `id: <cursor>`, `event: <type>`, `data: <envelope JSON>`. A comment every 15 s keeps an idle " +
    "connection open. The stream ends by itself after a few minutes; reconnect with `Last-Event-ID` (EventSource " +
    "does, after the `retry:` delay it was given) and nothing is missed or repeated.",
  tags: ["events"],
  request: {
    query: z.object({ after: cursor.optional(), types: types.optional() }),
    headers: z.object({ "last-event-id": cursor.optional() }),
  },
  responses: {
    200: {
      description: "An endless stream of events (text/event-stream)",
      content: { "text/event-stream": { schema: z.string() } },
    },
    400: problem("A cursor this feed did not give, or an unknown event type"),
  },
});

/** How a stream behaves; the vars are for tests and operators (wrangler.toml documents them). */
function streamSettings(env: EventsBindings) {
  const positive = (value: string | undefined, fallback: number) => {
    const parsed = Number(value);
    return value && Number.isFinite(parsed) && parsed > 0 ? parsed : fallback;
  };
  return {
    maxMs: positive(env.EVENT_FEED_STREAM_SECONDS, 300) * 1000,
    pollMs: positive(env.EVENT_FEED_POLL_MS, 1000),
    heartbeatMs: 15_000,
    retryMs: 3000,
  };
}

const typesOf = (list: string | undefined) => (list === undefined ? undefined : parseFeedTypes(list));
const seqOf = (value: string | undefined) =>
  value === undefined ? FEED_START : (decodeFeedCursor(value) ?? FEED_START);

export const eventFeedRoutes = new OpenAPIHono<EventsEnv>()
  .openapi(page, async (c) => {
    const query = c.req.valid("query");
    const answer = await readFeed(c.var.database().db, {
      after: seqOf(query.after),
      types: typesOf(query.types),
      limit: query.limit,
    });
    const items = answer.items.map((entry) => ({ cursor: entry.cursor, ...entry.envelope }));
    return c.json({ items, nextCursor: answer.nextCursor, hasMore: answer.hasMore }, 200);
  })
  .openapi(stream, (c) => {
    const query = c.req.valid("query");
    const after = c.req.valid("header")["last-event-id"] ?? query.after ?? String(FEED_START);
    const eventTypes = typesOf(query.types);
    // A pool of its own: the request's is closed as soon as the handler answers, and the stream goes on.
    const database = openDatabase(c.env, schema);
    const correlationId = c.var.correlationId;
    const body = feedStream({
      ...streamSettings(c.env),
      after,
      read: (from) => readFeed(database.db, { after: seqOf(from), types: eventTypes, limit: 100 }),
      onEnd: async (reason, error) => {
        const level = reason === "failed" ? "warn" : "info";
        const fields = { reason, correlationId, ...(error !== undefined && { error: errorText(error) }) };
        logLine(level, "events", "event stream ended", fields);
        await database.close().catch(() => undefined);
      },
    });
    return new Response(body, {
      status: 200,
      headers: {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-store",
        // Tells a buffering proxy (nginx and the like) to pass each event on at once.
        "x-accel-buffering": "no",
      },
    });
  });
