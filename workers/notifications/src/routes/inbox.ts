import { OpenAPIHono } from "@hono/zod-openapi";
import { ProblemError, requirePrincipal } from "@platform/http-kit";
import { defineRoute, json, problem, signedIn } from "@platform/service-kit";
import type { NotificationsEnv } from "../env.ts";
import { markAllRead, markRead, readInbox } from "../notices/inbox.ts";
import { MAX_IDS_PER_MESSAGE, publishRead, readMessage } from "../notices/read-live.ts";
import { inboxQuery, inboxSchema, noticeIdParam, readAllSchema, readSchema } from "./schemas.ts";

const inbox = defineRoute(signedIn, {
  method: "get",
  operationId: "listNotifications",
  path: "/api/notifications",
  summary: "Your in-app notices, newest first, and how many are unread",
  tags: ["notifications"],
  request: { query: inboxQuery },
  responses: {
    200: { description: "A page of your notices", content: json(inboxSchema) },
    400: problem("Invalid cursor, limit or filter"),
    503: problem("The database cannot be reached"),
  },
});

const read = defineRoute(signedIn, {
  method: "post",
  operationId: "markNotificationRead",
  path: "/api/notifications/{id}/read",
  summary: "Mark one of your notices read (again: no change)",
  description: "Your open devices get a `notification.read` live message with the new unread count.",
  tags: ["notifications"],
  request: { params: noticeIdParam },
  responses: {
    200: { description: "Read, and what is still unread", content: json(readSchema) },
    400: problem("Invalid id"),
    404: problem("You have no such notice"),
    503: problem("The database cannot be reached"),
  },
});

const readAll = defineRoute(signedIn, {
  method: "post",
  operationId: "markAllNotificationsRead",
  path: "/api/notifications/read-all",
  summary: "Mark all your notices read",
  description: "Your open devices get a `notification.read` live message with the new unread count.",
  tags: ["notifications"],
  responses: {
    200: { description: "How many were marked read", content: json(readAllSchema) },
    503: problem("The database cannot be reached"),
  },
});

export const inboxListRoutes = new OpenAPIHono<NotificationsEnv>()
  .openapi(inbox, async (c) => {
    const { userId } = requirePrincipal(c);
    const page = await readInbox(c.var.database().db, userId, c.req.valid("query"));
    // A person's own notices: never kept by a shared cache, nor by the browser after they sign out.
    c.header("cache-control", "private, no-store");
    return c.json(page, 200);
  })
  .openapi(readAll, async (c) => {
    const { userId } = requirePrincipal(c);
    const { ids, unreadCount } = await markAllRead(c.var.database().db, userId);
    if (ids.length > 0) {
      const message = readMessage(ids, unreadCount, ids.length > MAX_IDS_PER_MESSAGE);
      c.executionCtx.waitUntil(publishRead(c.env, userId, message, c.var.correlationId));
    }
    return c.json({ updated: ids.length, unreadCount }, 200);
  })
  .openapi(read, async (c) => {
    const { userId } = requirePrincipal(c);
    const { id } = c.req.valid("param");
    const outcome = await markRead(c.var.database().db, userId, id);
    // Another person's notice answers exactly like one that does not exist: ids are not a way to probe.
    if (!outcome) throw new ProblemError("not-found", { detail: "You have no such notice." });
    if (outcome.changed) {
      const message = readMessage([id], outcome.unreadCount);
      c.executionCtx.waitUntil(publishRead(c.env, userId, message, c.var.correlationId));
    }
    return c.json({ id, readAt: outcome.readAt, unreadCount: outcome.unreadCount }, 200);
  });
