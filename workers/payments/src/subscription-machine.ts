/**
 * The state machine of an all-access subscription. Pure: no database, no Stripe, no clock;
 * instants are epoch milliseconds.
 *
 * Like purchases (purchase-machine.ts), subscriptions must end in the right state whatever order
 * Stripe's events arrive in, so every part of the state is merged rather than overwritten:
 *
 * - the lifecycle only moves up `incomplete < expired < active < canceling < canceled`
 *   (cancelling is final here: a subscription resumed in Stripe's dashboard stays "canceling"
 *   until it ends, since the catalog has no event that would give access back);
 * - the period end only moves forward;
 * - the newest invoice (by Stripe's creation time, then id) decides whether payment is past due,
 *   and an invoice once seen paid stays paid (a retried charge that failed, then succeeded);
 * - the cancellation instants keep the earliest value seen.
 *
 * The outbox events follow from the merged state: SUBSCRIPTION_CREATED once, when the
 * subscription is active and its period end is known; SUBSCRIPTION_CANCELED whenever the instant
 * access ends becomes known or changes (cancel at period end, then an immediate end).
 */

export const SUBSCRIPTION_LIFECYCLES = ["incomplete", "expired", "active", "canceling", "canceled"] as const;
export type SubscriptionLifecycle = (typeof SUBSCRIPTION_LIFECYCLES)[number];

/** What people see: the lifecycle, with "past_due" for an active subscription whose last invoice failed. */
export type SubscriptionStatus = SubscriptionLifecycle | "past_due";

export interface InvoiceSeen {
  readonly id: string;
  readonly created: number;
  readonly paid: boolean;
}

export interface SubscriptionState {
  readonly lifecycle: SubscriptionLifecycle;
  readonly currentPeriodEnd: number | null;
  /** When a cancellation at period end takes effect (Stripe's `cancel_at`). */
  readonly cancelAt: number | null;
  /** When the subscription actually ended (Stripe's `ended_at`). */
  readonly endedAt: number | null;
  readonly latestInvoice: InvoiceSeen | null;
  readonly createdAnnounced: boolean;
  readonly announcedEndsAt: number | null;
}

/** Stripe's subscription statuses (as of API 2026-10-28) and anything newer. */
export type StripeSubscriptionStatus =
  | "incomplete"
  | "incomplete_expired"
  | "trialing"
  | "active"
  | "past_due"
  | "unpaid"
  | "canceled"
  | "paused"
  | (string & {});

export type SubscriptionFact =
  /** checkout.session.completed for a subscription; `settled`: its payment_status is paid. */
  | { readonly kind: "checkout_completed"; readonly settled: boolean }
  | { readonly kind: "checkout_expired" }
  /** customer.subscription.created/updated/deleted, or the subscription our cancel call returned. */
  | {
      readonly kind: "snapshot";
      readonly status: StripeSubscriptionStatus;
      readonly cancelAtPeriodEnd: boolean;
      readonly cancelAt: number | null;
      readonly currentPeriodEnd: number | null;
      readonly endedAt: number | null;
      /** When Stripe created the event: the end of a canceled subscription that names none. */
      readonly at: number;
    }
  /** invoice.paid / invoice.payment_failed. */
  | {
      readonly kind: "invoice";
      readonly invoiceId: string;
      readonly created: number;
      readonly paid: boolean;
      /** The end of the period the invoice pays for. */
      readonly periodEnd: number | null;
    };

export type SubscriptionEffect =
  | { readonly type: "SUBSCRIPTION_CREATED"; readonly currentPeriodEnd: number }
  | { readonly type: "SUBSCRIPTION_CANCELED"; readonly endsAt: number };

export interface SubscriptionTransition {
  readonly before: SubscriptionState;
  readonly after: SubscriptionState;
  /** Whether anything stored changed. */
  readonly changed: boolean;
  readonly effects: readonly SubscriptionEffect[];
}

export const INITIAL_SUBSCRIPTION: SubscriptionState = {
  lifecycle: "incomplete",
  currentPeriodEnd: null,
  cancelAt: null,
  endedAt: null,
  latestInvoice: null,
  createdAnnounced: false,
  announcedEndsAt: null,
};

const rank = (lifecycle: SubscriptionLifecycle) => SUBSCRIPTION_LIFECYCLES.indexOf(lifecycle);
const later = (a: SubscriptionLifecycle, b: SubscriptionLifecycle) => (rank(b) > rank(a) ? b : a);
const latest = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));
const earliest = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.min(a, b));

/** Which lifecycle moves exist: every move up the order. */
export function canMove(from: SubscriptionLifecycle, to: SubscriptionLifecycle): boolean {
  return rank(to) > rank(from);
}

const RUNNING: readonly StripeSubscriptionStatus[] = ["active", "trialing", "past_due", "unpaid", "paused"];

interface Proven {
  readonly lifecycle: SubscriptionLifecycle;
  readonly periodEnd: number | null;
  readonly cancelAt: number | null;
  readonly endedAt: number | null;
}

function proven(fact: SubscriptionFact): Proven {
  const nothing = { lifecycle: "incomplete" as const, periodEnd: null, cancelAt: null, endedAt: null };
  switch (fact.kind) {
    case "checkout_completed":
      return fact.settled ? { ...nothing, lifecycle: "active" } : nothing;
    case "checkout_expired":
      return { ...nothing, lifecycle: "expired" };
    case "invoice":
      // A failed invoice's period has not been paid for: it proves nothing about access.
      return fact.paid ? { ...nothing, lifecycle: "active", periodEnd: fact.periodEnd } : nothing;
    case "snapshot": {
      const periodEnd = fact.currentPeriodEnd;
      if (fact.status === "canceled") {
        return { lifecycle: "canceled", periodEnd, cancelAt: null, endedAt: fact.endedAt ?? fact.at };
      }
      if (fact.status === "incomplete_expired") return { ...nothing, lifecycle: "expired" };
      if (!RUNNING.includes(fact.status)) return { ...nothing, periodEnd };
      if (fact.cancelAtPeriodEnd || fact.cancelAt !== null) {
        return { lifecycle: "canceling", periodEnd, cancelAt: fact.cancelAt ?? periodEnd, endedAt: null };
      }
      return { ...nothing, lifecycle: "active", periodEnd };
    }
  }
}

function mergeInvoice(current: InvoiceSeen | null, fact: SubscriptionFact): InvoiceSeen | null {
  if (fact.kind !== "invoice") return current;
  const seen = { id: fact.invoiceId, created: fact.created, paid: fact.paid };
  if (!current) return seen;
  if (current.id === seen.id) return current.paid || !seen.paid ? current : seen;
  const newer = seen.created > current.created || (seen.created === current.created && seen.id > current.id);
  return newer ? seen : current;
}

/** When access through the subscription ends, if that is known yet. */
export function endsAtOf(state: SubscriptionState): number | null {
  if (state.lifecycle === "canceled") return state.endedAt ?? state.cancelAt ?? state.currentPeriodEnd;
  if (state.lifecycle === "canceling") return state.cancelAt ?? state.currentPeriodEnd;
  return null;
}

export function statusOf(state: SubscriptionState): SubscriptionStatus {
  if (state.lifecycle === "active" && state.latestInvoice && !state.latestInvoice.paid) return "past_due";
  return state.lifecycle;
}

const ACTIVATED: readonly SubscriptionLifecycle[] = ["active", "canceling", "canceled"];

export function applySubscriptionFact(before: SubscriptionState, fact: SubscriptionFact): SubscriptionTransition {
  const evidence = proven(fact);
  const merged: SubscriptionState = {
    ...before,
    lifecycle: later(before.lifecycle, evidence.lifecycle),
    currentPeriodEnd: latest(before.currentPeriodEnd, evidence.periodEnd),
    cancelAt: earliest(before.cancelAt, evidence.cancelAt),
    endedAt: earliest(before.endedAt, evidence.endedAt),
    latestInvoice: mergeInvoice(before.latestInvoice, fact),
  };
  const effects: SubscriptionEffect[] = [];
  let after = merged;
  if (!after.createdAnnounced && ACTIVATED.includes(after.lifecycle) && after.currentPeriodEnd !== null) {
    effects.push({ type: "SUBSCRIPTION_CREATED", currentPeriodEnd: after.currentPeriodEnd });
    after = { ...after, createdAnnounced: true };
  }
  const endsAt = endsAtOf(after);
  if (endsAt !== null && endsAt !== after.announcedEndsAt) {
    effects.push({ type: "SUBSCRIPTION_CANCELED", endsAt });
    after = { ...after, announcedEndsAt: endsAt };
  }
  return { before, after, changed: !sameState(before, after), effects };
}

function sameState(a: SubscriptionState, b: SubscriptionState): boolean {
  return (
    a.lifecycle === b.lifecycle &&
    a.currentPeriodEnd === b.currentPeriodEnd &&
    a.cancelAt === b.cancelAt &&
    a.endedAt === b.endedAt &&
    a.latestInvoice?.id === b.latestInvoice?.id &&
    a.latestInvoice?.paid === b.latestInvoice?.paid &&
    a.createdAnnounced === b.createdAnnounced &&
    a.announcedEndsAt === b.announcedEndsAt
  );
}
