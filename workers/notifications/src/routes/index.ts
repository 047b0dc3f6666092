import { OpenAPIHono } from "@hono/zod-openapi";
import type { NotificationsEnv } from "../env.ts";
import { inboxListRoutes } from "./inbox.ts";
import { preferenceRoutes } from "./preferences.ts";
import { unsubscribeRoutes } from "./unsubscribe.ts";

/**
 * The notifications API for people (docs/notifications.md): the in-app inbox, preferences, and the
 * one-click unsubscribe page of every non-essential email. `app.ts` mounts it at `/`.
 */
export const inboxRoutes = new OpenAPIHono<NotificationsEnv>()
  .route("/", preferenceRoutes)
  .route("/", unsubscribeRoutes)
  .route("/", inboxListRoutes);
