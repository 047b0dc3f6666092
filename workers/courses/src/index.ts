import { WorkerEntrypoint } from "cloudflare:workers";
import type { ServiceEnv } from "@platform/http-kit";
import { createApiApp, serveOpenApiDocument } from "@platform/http-kit/openapi";
import {
  databaseMiddleware,
  serviceHealthHandler,
  type DatabaseBindings,
  type DatabaseVariables,
} from "@platform/db";
import * as schema from "./db/schema.ts";

type Env = ServiceEnv<DatabaseBindings, DatabaseVariables<typeof schema>>;

const app = createApiApp<Env>({ service: "courses" });
app.use(databaseMiddleware(schema));
app.get("/health", serviceHealthHandler("courses"));
serveOpenApiDocument(app, { title: "Edge Learning: courses", version: "0.1.0" });

export default class CoursesWorker extends WorkerEntrypoint<DatabaseBindings> {
  override fetch(request: Request): Response | Promise<Response> {
    return app.fetch(request, this.env, this.ctx);
  }
}
