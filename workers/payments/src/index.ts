import type { EventOutcome, PaymentRecords, PaymentsRpc, RpcResult } from "@platform/contracts";
import { consumeOnce } from "@platform/db";
import { SUBSCRIPTIONS, type PlatformEvent } from "@platform/events";
import { DomainWorker } from "@platform/service-kit/worker";
import { app } from "./app.ts";
import type { Database } from "./db/database.ts";
import * as schema from "./db/schema.ts";
import type { PaymentsBindings } from "./env.ts";
import { erasureProviderFor } from "./config.ts";
import { eraseBuyer } from "./erasure.ts";
import { paymentRecords } from "./payment-records.ts";
import { runProviderErasures } from "./provider-erasure.ts";

export default class PaymentsWorker extends DomainWorker<PaymentsBindings, typeof schema> implements PaymentsRpc {
  protected readonly service = { name: "payments", schema, app, consumes: SUBSCRIPTIONS.PAYMENTS };

  /** A person's purchases and subscriptions, for their data export (the users worker asks). */
  async paymentRecords(userId: string): Promise<RpcResult<PaymentRecords, "unavailable">> {
    return this.withDatabaseResult(async (db) => ({ ok: true, value: await paymentRecords(db, userId) }), {
      writesEvents: false,
    });
  }

  /**
   * USER_DELETED: the bookkeeping rows stay under a pseudonym, and what Stripe holds is erased
   * there (erasure.ts says why and what).
   */
  protected override async applyEvent(db: Database, event: PlatformEvent): Promise<EventOutcome> {
    if (event.type !== "USER_DELETED") return "ignored";
    const outcome = await consumeOnce(db, schema.processedEvents, event, (tx) => eraseBuyer(tx, event.data.userId));
    // After the commit, never inside it (a Stripe call must not hold the transaction). It runs on
    // "duplicate" too: when a Stripe call may pass on a retry, this throws, the router retries the
    // event, consumeOnce answers "duplicate", and the open tasks run again. The outbox's re-sends
    // of an unconfirmed event carry on after the Queue's retries, so no other schedule is needed.
    const provider = erasureProviderFor(this.env);
    if (provider) await runProviderErasures(db, provider, { limit: 50 });
    return outcome;
  }
}
