import { asc, eq } from "drizzle-orm";
import type { PaymentRecords } from "@platform/contracts";
import type { Database } from "./db/database.ts";
import { payments, subscriptions } from "./db/schema.ts";

const iso = (at: Date | null) => at?.toISOString() ?? null;

/** A person's purchases and subscriptions for their data export, oldest first; no provider internals. */
export async function paymentRecords(db: Database, userId: string): Promise<PaymentRecords> {
  const [bought, subscribed] = await Promise.all([
    db.select().from(payments).where(eq(payments.userId, userId)).orderBy(asc(payments.id)),
    db.select().from(subscriptions).where(eq(subscriptions.userId, userId)).orderBy(asc(subscriptions.id)),
  ]);
  return {
    purchases: bought.map((row) => ({
      id: row.id,
      courseId: row.courseId,
      description: row.description,
      amountMinor: row.amountMinor,
      currency: row.currency,
      status: row.status,
      amountRefundedMinor: row.amountRefundedMinor,
      createdAt: row.createdAt.toISOString(),
      paidAt: iso(row.paidAt),
      refundedAt: iso(row.refundedAt),
    })),
    subscriptions: subscribed.map((row) => ({
      id: row.id,
      description: row.description,
      interval: row.interval,
      amountMinor: row.amountMinor,
      currency: row.currency,
      lifecycle: row.lifecycle,
      createdAt: row.createdAt.toISOString(),
      currentPeriodEnd: iso(row.currentPeriodEnd),
      endedAt: iso(row.endedAt),
    })),
  };
}
