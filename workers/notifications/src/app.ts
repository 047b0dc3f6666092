import { createDomainApp } from "@platform/service-kit";
import * as schema from "./db/schema.ts";
import type { NotificationsEnv } from "./env.ts";
import { pushRoutes } from "./push/routes.ts";
import { inboxRoutes } from "./routes/index.ts";

export const app = createDomainApp<NotificationsEnv, typeof schema>({
  service: "notifications",
  schema,
  openapi: {
    title: "Edge Learning: notifications",
    tags: [{ name: "notifications", description: "In-app notices, preferences, Web Push subscriptions, unsubscribe" }],
  },
});
app.route("/", pushRoutes);
app.route("/", inboxRoutes);
