import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { v7 as uuidv7 } from "uuid";
import type { CoursesRpc } from "@platform/contracts";
import { insertedRow, isUniqueViolation } from "@platform/db";
import { ProblemError } from "@platform/http-kit";
import {
  assertChargeable,
  checkoutExpiryOf,
  checkoutLapsed,
  returnUrls,
  viaProvider,
  viaService,
} from "./checkout-rules.ts";
import type { Database } from "./db/database.ts";
import { paymentStatusHistory, payments } from "./db/schema.ts";
import type { PaymentProvider } from "./provider/provider.ts";
import { BLOCKS_NEW_PURCHASE } from "./purchase-machine.ts";
import { applyPurchaseFact, type Payment } from "./purchase-state.ts";

export interface CheckoutDeps {
  readonly db: Database;
  readonly courses: CoursesRpc;
  readonly provider: PaymentProvider;
  /** Where the browser returns after checkout. */
  readonly returnOrigin: string;
  readonly correlationId: string;
  readonly now?: () => Date;
}

export interface PurchaseCheckout {
  readonly payment: Payment;
  /** new: a checkout was opened; replayed: the Idempotency-Key was seen before; reused: the buyer's open checkout. */
  readonly how: "new" | "replayed" | "reused";
}

async function findByKey(db: Database, buyerId: string, key: string) {
  const [row] = await db
    .select()
    .from(payments)
    .where(and(eq(payments.userId, buyerId), eq(payments.idempotencyKey, key)))
    .limit(1);
  return row;
}

async function findOpen(db: Database, buyerId: string, courseId: string) {
  const [row] = await db
    .select()
    .from(payments)
    .where(and(eq(payments.userId, buyerId), eq(payments.courseId, courseId), eq(payments.status, "pending")))
    .limit(1);
  return row;
}

/** Refuses what cannot be bought: unknown, unpublished, free, or already the buyer's. */
async function courseToSell(deps: CheckoutDeps, buyerId: string, courseId: string) {
  // Three independent questions, asked at once: each RPC opens its own connection in the courses worker.
  const [course, owned, [bought]] = await Promise.all([
    viaService("courses", () => deps.courses.courseForSale(courseId)),
    viaService("courses", () => deps.courses.hasAccess(buyerId, courseId)),
    deps.db
      .select({ id: payments.id, status: payments.status })
      .from(payments)
      .where(
        and(
          eq(payments.userId, buyerId),
          eq(payments.courseId, courseId),
          inArray(payments.status, [...BLOCKS_NEW_PURCHASE]),
        ),
      )
      .limit(1),
  ]);
  if (!course || course.status === "draft") throw new ProblemError("not-found", { detail: "No such course for sale." });
  if (course.status === "archived") throw new ProblemError("conflict", { detail: "This course is no longer sold." });
  if (!course.price) {
    throw new ProblemError("unprocessable", {
      detail: `This course is free: join it with POST /api/courses/${course.id}/enroll.`,
    });
  }
  assertChargeable("This course", course.price);
  if (owned) throw new ProblemError("conflict", { detail: "You already have access to this course." });
  if (bought) {
    throw new ProblemError("conflict", {
      detail:
        bought.status === "processing"
          ? `Your payment ${bought.id} for this course is still being processed.`
          : `You have bought this course (payment ${bought.id}); access follows in a moment.`,
    });
  }
  return { ...course, price: course.price };
}

/** Gives up an open checkout that can no longer be paid, so a new one may be opened. */
async function expireLapsed(deps: CheckoutDeps, payment: Payment) {
  await deps.db.transaction((tx) =>
    applyPurchaseFact(
      tx,
      payment.id,
      { kind: "expired" },
      {},
      { what: "checkout lapsed", correlationId: deps.correlationId },
    ),
  );
}

/**
 * Opens the provider's checkout for a row that has none yet. The idempotency key and expiry come
 * from the row, so if an earlier call created the session but its answer was lost, this call
 * gets that same session back.
 */
async function finishCheckout(deps: CheckoutDeps, payment: Payment): Promise<Payment> {
  if (payment.checkoutSessionId) return payment;
  const session = await viaProvider(() =>
    deps.provider.createCourseCheckout({
      paymentId: payment.id,
      userId: payment.userId,
      courseId: payment.courseId,
      title: payment.description,
      amountMinor: payment.amountMinor,
      currency: payment.currency,
      expiresAt: checkoutExpiryOf(payment),
      ...returnUrls(deps.returnOrigin, "payment", payment.id),
    }),
  );
  const [updated] = await deps.db
    .update(payments)
    .set({
      checkoutSessionId: session.sessionId,
      checkoutUrl: session.url,
      checkoutExpiresAt: session.expiresAt,
      updatedAt: sql`now()`,
    })
    .where(and(eq(payments.id, payment.id), isNull(payments.checkoutSessionId)))
    .returning();
  if (updated) return updated;
  // A concurrent attempt finished it first (with the same session: same idempotency key).
  const [current] = await deps.db.select().from(payments).where(eq(payments.id, payment.id));
  if (!current) throw new Error("the payment row vanished");
  return current;
}

/**
 * The seed's `purchaseCourse`: a checkout for the course at its current price. The same
 * Idempotency-Key from the same buyer returns the same checkout; without one, a buyer who already
 * has an open checkout for the course gets that one back rather than a second way to pay twice.
 */
export async function startCoursePurchase(
  deps: CheckoutDeps,
  buyerId: string,
  courseId: string,
  idempotencyKey?: string,
): Promise<PurchaseCheckout> {
  const now = deps.now?.() ?? new Date();
  for (let attempt = 0; ; attempt += 1) {
    if (idempotencyKey) {
      const earlier = await findByKey(deps.db, buyerId, idempotencyKey);
      if (earlier) {
        if (earlier.courseId !== courseId) {
          throw new ProblemError("unprocessable", {
            detail: "This Idempotency-Key was already used for another course; use a new key for a new purchase.",
          });
        }
        if (!earlier.checkoutSessionId && checkoutLapsed(earlier, now)) {
          await expireLapsed(deps, earlier);
          throw new ProblemError("conflict", {
            detail: "The checkout for this Idempotency-Key was never opened and has expired; use a new key.",
          });
        }
        return { payment: await finishCheckout(deps, earlier), how: "replayed" };
      }
    }
    const open = await findOpen(deps.db, buyerId, courseId);
    // An open checkout is given back, unless it can no longer be paid (or another provider opened it).
    if (open && !checkoutLapsed(open, now) && open.provider === deps.provider.name) {
      return { payment: await finishCheckout(deps, open), how: "reused" };
    }
    if (open) await expireLapsed(deps, open);

    const course = await courseToSell(deps, buyerId, courseId);
    try {
      const created = await deps.db.transaction(async (tx) => {
        const row = insertedRow(
          await tx
            .insert(payments)
            .values({
              id: uuidv7(),
              userId: buyerId,
              courseId,
              description: course.title,
              amountMinor: course.price.amountMinor,
              currency: course.price.currency,
              provider: deps.provider.name,
              status: "pending",
              idempotencyKey: idempotencyKey ?? null,
            })
            .returning(),
        );
        await tx.insert(paymentStatusHistory).values({
          id: uuidv7(),
          paymentId: row.id,
          fromStatus: null,
          toStatus: "pending",
          cause: "checkout requested",
        });
        return row;
      });
      return { payment: await finishCheckout(deps, created), how: "new" };
    } catch (error) {
      // A concurrent request with the same key, or for the same course, got there first: use its row.
      if (
        attempt === 0 &&
        (isUniqueViolation(error, "payments_idempotency_key") || isUniqueViolation(error, "payments_one_open_checkout"))
      ) {
        continue;
      }
      throw error;
    }
  }
}
