import { OpenAPIHono } from "@hono/zod-openapi";
import type { NotificationsEnv } from "../env.ts";

/** Push subscriptions and the VAPID public key (docs/notifications.md). Built by the Web Push work. */
export const pushRoutes = new OpenAPIHono<NotificationsEnv>();
