import { WorkerEntrypoint } from "cloudflare:workers";
import { createApiApp, serveOpenApiDocument } from "@platform/http-kit/openapi";
import { databaseMiddleware, serviceHealthHandler } from "@platform/db";
import * as schema from "./db/schema.ts";
import type { UsersBindings, UsersEnv } from "./env.ts";
import { adminRoutes } from "./routes/admin.ts";
import { meRoutes } from "./routes/me.ts";

const app = createApiApp<UsersEnv>({ service: "users" });
app.use(databaseMiddleware(schema));
app.get("/health", serviceHealthHandler("users"));
serveOpenApiDocument(app, { title: "Edge Learning: users", version: "0.1.0" });
app.route("/", meRoutes);
app.route("/", adminRoutes);

export default class UsersWorker extends WorkerEntrypoint<UsersBindings> {
  override fetch(request: Request): Response | Promise<Response> {
    return app.fetch(request, this.env, this.ctx);
  }
}
