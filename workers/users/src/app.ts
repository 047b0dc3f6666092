import { createDomainApp } from "@platform/service-kit";
import * as schema from "./db/schema.ts";
import type { UsersEnv } from "./env.ts";
import { adminAccountRoutes } from "./routes/admin-accounts.ts";
import { adminRoutes } from "./routes/admin.ts";
import { meRoutes } from "./routes/me.ts";

export const app = createDomainApp<UsersEnv, typeof schema>({
  service: "users",
  schema,
  openapi: { tags: [{ name: "users", description: "Profiles, and people management for admins" }] },
});
app.route("/", meRoutes);
app.route("/", adminRoutes);
app.route("/", adminAccountRoutes);
