import { WorkerEntrypoint } from "cloudflare:workers";
import { createServiceApp, type ServiceEnv } from "@platform/http-kit";
import {
  databaseMiddleware,
  serviceHealthHandler,
  type DatabaseBindings,
  type DatabaseVariables,
} from "@platform/db";
import * as schema from "./db/schema.ts";

type Env = ServiceEnv<DatabaseBindings, DatabaseVariables<typeof schema>>;

const app = createServiceApp<Env>({ service: "payments" });
app.use(databaseMiddleware(schema));
app.get("/health", serviceHealthHandler("payments"));

export default class PaymentsWorker extends WorkerEntrypoint<DatabaseBindings> {
  override fetch(request: Request): Response | Promise<Response> {
    return app.fetch(request, this.env, this.ctx);
  }
}
