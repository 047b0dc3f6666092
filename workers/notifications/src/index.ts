import { DomainWorker } from "@platform/service-kit/worker";
import { app } from "./app.ts";
import * as schema from "./db/schema.ts";
import type { NotificationsBindings } from "./env.ts";

export default class NotificationsWorker extends DomainWorker<NotificationsBindings, typeof schema> {
  protected readonly service = { name: "notifications", schema, app };
}
