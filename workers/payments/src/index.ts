import { DomainWorker } from "@platform/service-kit/worker";
import { app } from "./app.ts";
import * as schema from "./db/schema.ts";
import type { PaymentsBindings } from "./env.ts";

export default class PaymentsWorker extends DomainWorker<PaymentsBindings, typeof schema> {
  protected readonly service = { name: "payments", schema, app };
}
