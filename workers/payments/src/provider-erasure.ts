import { asc, eq, isNull, sql } from "drizzle-orm";
import { v7 as uuidv7 } from "uuid";
import { errorText, logLine } from "@platform/http-kit";
import type { Database, Transaction } from "./db/database.ts";
import { providerErasures } from "./db/schema.ts";
import { ProviderError, type PaymentProvider } from "./provider/provider.ts";

export type ProviderErasureKind = (typeof providerErasures.$inferSelect)["kind"];

export interface ProviderErasureTask {
  readonly kind: ProviderErasureKind;
  /** A Stripe id: never an account id or a pseudonym, so the task names nobody. */
  readonly stripeId: string;
}

/**
 * Queues Stripe work in the caller's transaction (the erasure's, or a late event's about an erased
 * row), so the tasks commit with the pseudonymisation or not at all. A task already queued (the
 * same kind and object) stays one row.
 */
export async function queueProviderErasures(tx: Transaction, tasks: readonly ProviderErasureTask[]): Promise<void> {
  if (tasks.length === 0) return;
  await tx
    .insert(providerErasures)
    .values(tasks.map((task) => ({ id: uuidv7(), kind: task.kind, stripeId: task.stripeId })))
    .onConflictDoNothing();
}

/** What one run did: tasks finished now, and tasks that failed and stay open (with `last_error`). */
export interface ProviderErasureRun {
  readonly done: number;
  readonly failed: number;
}

function perform(provider: PaymentProvider, task: ProviderErasureTask): Promise<void> {
  switch (task.kind) {
    case "expire_checkout":
      return provider.expireCheckout(task.stripeId);
    case "cancel_subscription":
      return provider.cancelSubscriptionNow(task.stripeId);
    case "delete_customer":
      return provider.deleteCustomer(task.stripeId);
    case "unset_metadata":
      return provider.unsetBuyerMetadata(task.stripeId);
  }
}

/**
 * Runs the open tasks after the erasure committed, outside any transaction (a Stripe call must not
 * hold a database transaction open), in the kinds' order: open checkouts expired, subscriptions
 * ended, customers deleted, metadata dropped; oldest first within a kind. Each provider call is
 * idempotent (an already expired, canceled or deleted object counts as done), so two runs at once,
 * or a run repeated after a failure, do each thing once at Stripe.
 *
 * A failure is kept on its task (`attempts`, `last_error`) and the others still run. If any
 * failure may pass on a retry (Stripe unreachable, rate limited), this throws after the run: the
 * USER_DELETED consumer then fails, the event router retries the event, and the tasks run again.
 */
export async function runProviderErasures(
  db: Database,
  provider: PaymentProvider,
  { limit }: { limit: number },
): Promise<ProviderErasureRun> {
  const open = await db
    .select()
    .from(providerErasures)
    .where(isNull(providerErasures.doneAt))
    .orderBy(asc(providerErasures.kind), asc(providerErasures.createdAt))
    .limit(limit);
  let done = 0;
  let failed = 0;
  let retryable: ProviderError | undefined;
  for (const task of open) {
    try {
      await perform(provider, task);
      await db
        .update(providerErasures)
        .set({ doneAt: sql`now()` })
        .where(eq(providerErasures.id, task.id));
      done += 1;
    } catch (error) {
      failed += 1;
      const message = error instanceof Error ? error.message : String(error);
      await db
        .update(providerErasures)
        .set({ attempts: sql`${providerErasures.attempts} + 1`, lastError: message.slice(0, 1000) })
        .where(eq(providerErasures.id, task.id));
      logLine("error", "payments", "erasure step failed at the payment provider", {
        kind: task.kind,
        stripeId: task.stripeId,
        error: errorText(error),
      });
      const mayPass = !(error instanceof ProviderError) || error.retryable;
      if (mayPass && !retryable) {
        retryable = new ProviderError(`erasure at the provider is incomplete: ${message}`, {
          retryable: true,
          cause: error,
        });
      }
    }
  }
  if (retryable) throw retryable;
  return { done, failed };
}
