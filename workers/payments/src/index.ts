import type { EventOutcome, PaymentRecords, PaymentsRpc, RpcResult } from "@platform/contracts";
import { consumeOnce } from "@platform/db";
import { SUBSCRIPTIONS, type PlatformEvent } from "@platform/events";
import { DomainWorker } from "@platform/service-kit/worker";
import { app } from "./app.ts";
import type { Database } from "./db/database.ts";
import * as schema from "./db/schema.ts";
import type { PaymentsBindings } from "./env.ts";
import { pseudonymiseBuyer } from "./erasure.ts";
import { paymentRecords } from "./payment-records.ts";

export default class PaymentsWorker extends DomainWorker<PaymentsBindings, typeof schema> implements PaymentsRpc {
  protected readonly service = { name: "payments", schema, app, consumes: SUBSCRIPTIONS.PAYMENTS };

  /** A person's purchases and subscriptions, for their data export (the users worker asks). */
  async paymentRecords(userId: string): Promise<RpcResult<PaymentRecords, "unavailable">> {
    return this.withDatabaseResult(async (db) => ({ ok: true, value: await paymentRecords(db, userId) }), {
      writesEvents: false,
    });
  }

  /** USER_DELETED: the bookkeeping rows stay under a pseudonym (erasure.ts says why). */
  protected override async applyEvent(db: Database, event: PlatformEvent): Promise<EventOutcome> {
    if (event.type !== "USER_DELETED") return "ignored";
    return consumeOnce(db, schema.processedEvents, event, (tx) => pseudonymiseBuyer(tx, event.data.userId));
  }
}
