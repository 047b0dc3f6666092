import { sql } from "drizzle-orm";
import {
  boolean,
  char,
  check,
  index,
  integer,
  jsonb,
  pgSchema,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { outboxTable, processedEventsTable } from "@platform/db";

/** Everything the payments service stores lives in this schema; no other service reads it. */
export const paymentsSchema = pgSchema("payments");

export const outbox = outboxTable(paymentsSchema);

/** Platform events applied (USER_DELETED), marked in the same transaction as their effect. */
export const processedEvents = processedEventsTable(paymentsSchema);

/** Who took the money: Stripe, or the offline sandbox (no Stripe key configured). */
export const providerEnum = paymentsSchema.enum("provider", ["stripe", "sandbox"]);

/**
 * A course purchase's states, in the precedence order of purchase-machine.ts: a payment only ever
 * moves to a later state, whatever order Stripe's events arrive in.
 */
export const purchaseStatusEnum = paymentsSchema.enum("purchase_status", [
  "pending",
  "expired",
  "processing",
  "failed",
  "paid",
  "disputed",
  "refunded",
]);

/** A subscription's lifecycle, in the precedence order of subscription-machine.ts. */
export const subscriptionLifecycleEnum = paymentsSchema.enum("subscription_lifecycle", [
  "incomplete",
  "expired",
  "active",
  "canceling",
  "canceled",
]);

export const planIntervalEnum = paymentsSchema.enum("plan_interval", ["month", "year"]);

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp("updated_at", { withTimezone: true }).notNull().defaultNow();

/** All-access plans, managed by admins. A price change applies to new subscriptions only. */
export const plans = paymentsSchema.table(
  "plans",
  {
    id: uuid("id").primaryKey(),
    name: text("name").notNull(),
    interval: planIntervalEnum("interval").notNull(),
    amountMinor: integer("amount_minor").notNull(),
    currency: char("currency", { length: 3 }).notNull(),
    active: boolean("active").notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [check("plans_amount_positive", sql`${table.amountMinor} > 0`)],
);

/** One course purchase: our id is the paymentId of COURSE_PURCHASED and the key of every Stripe call about it. */
export const payments = paymentsSchema.table(
  "payments",
  {
    id: uuid("id").primaryKey(),
    userId: uuid("user_id").notNull(),
    courseId: uuid("course_id").notNull(),
    /** The course title when it was bought (what the buyer saw at checkout). */
    description: text("description").notNull(),
    amountMinor: integer("amount_minor").notNull(),
    currency: char("currency", { length: 3 }).notNull(),
    provider: providerEnum("provider").notNull(),
    status: purchaseStatusEnum("status").notNull().default("pending"),
    /** The client's Idempotency-Key, unique per buyer. */
    idempotencyKey: text("idempotency_key"),
    /** Null until the provider has answered; a row without one is finished by the next attempt. */
    checkoutSessionId: text("checkout_session_id"),
    checkoutUrl: text("checkout_url"),
    checkoutExpiresAt: timestamp("checkout_expires_at", { withTimezone: true }),
    paymentIntentId: text("payment_intent_id"),
    chargeId: text("charge_id"),
    amountRefundedMinor: integer("amount_refunded_minor").notNull().default(0),
    paidAt: timestamp("paid_at", { withTimezone: true }),
    refundedAt: timestamp("refunded_at", { withTimezone: true }),
    /** The buyer's account was erased (erasure.ts): the row stays for bookkeeping under a pseudonym. */
    erasedAt: timestamp("erased_at", { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    uniqueIndex("payments_checkout_session_key").on(table.checkoutSessionId),
    uniqueIndex("payments_idempotency_key").on(table.userId, table.idempotencyKey),
    // One open checkout per buyer and course: a double click cannot open two sessions and charge twice.
    uniqueIndex("payments_one_open_checkout")
      .on(table.userId, table.courseId)
      .where(sql`${table.status} = 'pending'`),
    index("payments_user_idx").on(table.userId, table.id),
    // A course's sales (its authors' revenue, the admins' list filtered by course) without reading every purchase.
    index("payments_course_idx").on(table.courseId),
    index("payments_payment_intent_idx").on(table.paymentIntentId),
    check("payments_amount_positive", sql`${table.amountMinor} > 0`),
  ],
);

/** Every state a purchase passed through, and what moved it (a Stripe event id, or our own action). */
export const paymentStatusHistory = paymentsSchema.table(
  "payment_status_history",
  {
    id: uuid("id").primaryKey(),
    paymentId: uuid("payment_id")
      .notNull()
      .references(() => payments.id, { onDelete: "cascade" }),
    fromStatus: purchaseStatusEnum("from_status"),
    toStatus: purchaseStatusEnum("to_status").notNull(),
    cause: text("cause").notNull(),
    stripeEventId: text("stripe_event_id"),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index("payment_status_history_payment_idx").on(table.paymentId, table.at)],
);

/** Refunds made through the provider; the provider's refund id makes a retried refund one row. */
export const refunds = paymentsSchema.table(
  "refunds",
  {
    id: uuid("id").primaryKey(),
    paymentId: uuid("payment_id")
      .notNull()
      .references(() => payments.id, { onDelete: "cascade" }),
    providerRefundId: text("provider_refund_id").notNull(),
    amountMinor: integer("amount_minor").notNull(),
    currency: char("currency", { length: 3 }).notNull(),
    status: text("status").notNull(),
    /** Who asked: the buyer or an admin. */
    requestedBy: uuid("requested_by"),
    createdAt: createdAt(),
  },
  (table) => [
    unique("refunds_provider_refund_key").on(table.providerRefundId),
    index("refunds_payment_idx").on(table.paymentId),
  ],
);

/** An all-access subscription; the price and interval are copied from its plan when it starts. */
export const subscriptions = paymentsSchema.table(
  "subscriptions",
  {
    id: uuid("id").primaryKey(),
    userId: uuid("user_id").notNull(),
    planId: uuid("plan_id")
      .notNull()
      .references(() => plans.id),
    description: text("description").notNull(),
    interval: planIntervalEnum("interval").notNull(),
    amountMinor: integer("amount_minor").notNull(),
    currency: char("currency", { length: 3 }).notNull(),
    provider: providerEnum("provider").notNull(),
    lifecycle: subscriptionLifecycleEnum("lifecycle").notNull().default("incomplete"),
    idempotencyKey: text("idempotency_key"),
    checkoutSessionId: text("checkout_session_id"),
    checkoutUrl: text("checkout_url"),
    checkoutExpiresAt: timestamp("checkout_expires_at", { withTimezone: true }),
    stripeSubscriptionId: text("stripe_subscription_id"),
    stripeCustomerId: text("stripe_customer_id"),
    currentPeriodEnd: timestamp("current_period_end", { withTimezone: true }),
    /** When a cancellation at period end takes effect (Stripe's `cancel_at`). */
    cancelAt: timestamp("cancel_at", { withTimezone: true }),
    /** When the subscription actually ended (Stripe's `ended_at`). */
    endedAt: timestamp("ended_at", { withTimezone: true }),
    /** The newest invoice seen (by Stripe's creation time): unpaid means past due. */
    latestInvoiceId: text("latest_invoice_id"),
    latestInvoiceCreated: timestamp("latest_invoice_created", { withTimezone: true }),
    latestInvoicePaid: boolean("latest_invoice_paid"),
    /** SUBSCRIPTION_CREATED has been written (once, when active with a known period end). */
    createdAnnounced: boolean("created_announced").notNull().default(false),
    /** The endsAt of the last SUBSCRIPTION_CANCELED written, so a changed end is announced again. */
    announcedEndsAt: timestamp("announced_ends_at", { withTimezone: true }),
    /** The subscriber's account was erased (erasure.ts): the row stays for bookkeeping under a pseudonym. */
    erasedAt: timestamp("erased_at", { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    uniqueIndex("subscriptions_checkout_session_key").on(table.checkoutSessionId),
    uniqueIndex("subscriptions_stripe_subscription_key").on(table.stripeSubscriptionId),
    uniqueIndex("subscriptions_idempotency_key").on(table.userId, table.idempotencyKey),
    // One open subscription checkout per person: two could both be paid.
    uniqueIndex("subscriptions_one_open_checkout")
      .on(table.userId)
      .where(sql`${table.lifecycle} = 'incomplete'`),
    index("subscriptions_user_idx").on(table.userId, table.id),
  ],
);

export const subscriptionStatusHistory = paymentsSchema.table(
  "subscription_status_history",
  {
    id: uuid("id").primaryKey(),
    subscriptionId: uuid("subscription_id")
      .notNull()
      .references(() => subscriptions.id, { onDelete: "cascade" }),
    /** The status as shown to people (past_due included), before and after. */
    fromStatus: text("from_status"),
    toStatus: text("to_status").notNull(),
    cause: text("cause").notNull(),
    stripeEventId: text("stripe_event_id"),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index("subscription_status_history_subscription_idx").on(table.subscriptionId, table.at)],
);

/** refused: a granting event, not applied; applied: one taking access away, applied on Stripe's word. */
export const mismatchDecisionEnum = paymentsSchema.enum("mismatch_decision", ["refused", "applied"]);

/** accepted: an admin checked with Stripe and the event is genuine; dismissed: the payment stays as it is. */
export const mismatchResolutionEnum = paymentsSchema.enum("mismatch_resolution", ["accepted", "dismissed"]);

/**
 * Stripe events that disagree with the purchase or subscription they name (another amount,
 * currency, checkout session, buyer or customer than the one we created; event-checks.ts): a
 * granting one is refused (the payment stays unpaid), one that takes access away is applied, and
 * either way an admin reads here what differed and resolves it. Never card data.
 */
export const eventMismatches = paymentsSchema.table(
  "event_mismatches",
  {
    id: uuid("id").primaryKey(),
    paymentId: uuid("payment_id").references(() => payments.id, { onDelete: "cascade" }),
    subscriptionId: uuid("subscription_id").references(() => subscriptions.id, { onDelete: "cascade" }),
    stripeEventId: text("stripe_event_id").notNull(),
    eventType: text("event_type").notNull(),
    /** `[{ field, expected, received }]`, as event-checks.ts lists them. */
    differences: jsonb("differences").$type<Array<{ field: string; expected: unknown; received: unknown }>>().notNull(),
    decision: mismatchDecisionEnum("decision").notNull().default("refused"),
    /**
     * The refused fact and the event's details (`{ fact, details }`), so an admin's "accepted" can
     * apply it without asking Stripe again. Null on rows from before it was kept.
     */
    refusedFact: jsonb("refused_fact").$type<{ fact: unknown; details: unknown }>(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    resolution: mismatchResolutionEnum("resolution"),
    resolvedBy: uuid("resolved_by"),
    resolvedAt: timestamp("resolved_at", { withTimezone: true }),
    resolutionNote: text("resolution_note"),
  },
  (table) => [
    check(
      "event_mismatches_resolved_whole",
      sql`(${table.resolution} is null) = (${table.resolvedBy} is null) and (${table.resolution} is null) = (${table.resolvedAt} is null)`,
    ),
    index("event_mismatches_open_idx")
      .on(table.id)
      .where(sql`${table.resolution} is null`),
    check("event_mismatches_one_subject", sql`(${table.paymentId} is null) <> (${table.subscriptionId} is null)`),
    index("event_mismatches_payment_idx").on(table.paymentId),
    index("event_mismatches_subscription_idx").on(table.subscriptionId),
  ],
);

/**
 * What an erasure must still do at Stripe, in this order (PostgreSQL sorts an enum by its
 * declaration): no open checkout can be paid, no subscription keeps billing, the customer (the
 * email and card typed at checkout) is deleted, and our account id is dropped from metadata.
 */
export const providerErasureKindEnum = paymentsSchema.enum("provider_erasure_kind", [
  "expire_checkout",
  "cancel_subscription",
  "delete_customer",
  "unset_metadata",
]);

/**
 * Stripe calls an erasure queued (provider-erasure.ts): written in the erasure's transaction, run
 * after its commit. Holds Stripe ids only, never an account id or pseudonym, so it names nobody.
 */
export const providerErasures = paymentsSchema.table(
  "provider_erasures",
  {
    id: uuid("id").primaryKey(),
    kind: providerErasureKindEnum("kind").notNull(),
    /** The Stripe object: `cs_…`, `sub_…`, `cus_…`, or for unset_metadata `pi_…` / `ch_…` / `sub_…`. */
    stripeId: text("stripe_id").notNull(),
    createdAt: createdAt(),
    doneAt: timestamp("done_at", { withTimezone: true }),
    attempts: integer("attempts").notNull().default(0),
    /** The provider's last refusal (it names Stripe ids only). */
    lastError: text("last_error"),
  },
  (table) => [
    unique("provider_erasures_kind_stripe_id_key").on(table.kind, table.stripeId),
    index("provider_erasures_open_idx")
      .on(table.kind, table.createdAt)
      .where(sql`${table.doneAt} is null`),
  ],
);

/**
 * Stripe events applied (or deliberately ignored), written in the same transaction as their
 * effect: a redelivered or concurrently delivered event finds its row and changes nothing.
 */
export const stripeEvents = paymentsSchema.table("stripe_events", {
  eventId: text("event_id").primaryKey(),
  type: text("type").notNull(),
  /**
   * applied: state changed; unchanged: already there (or superseded); ignored: not ours or not
   * relevant; refused: it disagrees with what we created (see event_mismatches).
   */
  outcome: text("outcome").notNull(),
  correlationId: text("correlation_id"),
  receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
});
