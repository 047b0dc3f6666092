import { DomainWorker } from "@platform/service-kit/worker";
import { app } from "./app.ts";
import * as schema from "./db/schema.ts";
import type { ProgressBindings } from "./env.ts";

export default class ProgressWorker extends DomainWorker<ProgressBindings, typeof schema> {
  protected readonly service = { name: "progress", schema, app };
}
