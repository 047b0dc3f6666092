import { OpenAPIHono } from "@hono/zod-openapi";
import { ProblemError, requirePrincipal } from "@platform/http-kit";
import { defineRoute, json, problem, signedIn } from "@platform/service-kit";
import type { NotificationsEnv } from "../env.ts";
import { isLocked } from "../preferences/categories.ts";
import { changePreferences, preferenceState } from "../preferences/preferences.ts";
import { preferencesChange, preferencesSchema } from "./schemas.ts";

const read = defineRoute(signedIn, {
  method: "get",
  operationId: "getNotificationPreferences",
  path: "/api/notifications/preferences",
  summary: "What reaches you: every category and channel, on or off",
  description: "Everything is on until you turn it off. Security email is locked on.",
  tags: ["notifications"],
  responses: {
    200: { description: "Your preferences", content: json(preferencesSchema) },
    503: problem("The database cannot be reached"),
  },
});

const change = defineRoute(signedIn, {
  method: "put",
  operationId: "updateNotificationPreferences",
  path: "/api/notifications/preferences",
  summary: "Turn categories and channels on or off (only those listed change)",
  description:
    "All or nothing: one invalid entry and none is stored. Turning security email off is refused with 422: the " +
    "request is well-formed, the rule it breaks is the platform's (a person must hear when their password or " +
    "address changes, or when someone asks to reset it).",
  tags: ["notifications"],
  request: { body: { required: true, content: json(preferencesChange) } },
  responses: {
    200: { description: "Your preferences after the change", content: json(preferencesSchema) },
    400: problem("An unknown category or channel, a duplicate entry, or more than 15 entries"),
    422: problem("Security email cannot be turned off"),
    503: problem("The database cannot be reached"),
  },
});

export const preferenceRoutes = new OpenAPIHono<NotificationsEnv>()
  .openapi(read, async (c) => {
    const { userId } = requirePrincipal(c);
    c.header("cache-control", "private, no-store");
    return c.json({ categories: await preferenceState(c.var.database().db, userId) }, 200);
  })
  .openapi(change, async (c) => {
    const { userId } = requirePrincipal(c);
    const { preferences } = c.req.valid("json");
    const refused = preferences.findIndex((entry) => !entry.enabled && isLocked(entry.category, entry.channel));
    if (refused !== -1) {
      throw new ProblemError("unprocessable", {
        detail: "Security email cannot be turned off: it is how you learn that someone else changed your account.",
        errors: [{ path: `json.preferences.${refused}.enabled`, message: "security email is always on" }],
      });
    }
    const { db } = c.var.database();
    await changePreferences(db, userId, preferences);
    c.header("cache-control", "private, no-store");
    return c.json({ categories: await preferenceState(db, userId) }, 200);
  });
