import type { Stripe } from "stripe";
import { invalid, missing } from "./errors.ts";
import { bool, field, integer, metadata as readMetadata, text, type FormObject } from "./form.ts";
import { ids } from "./ids.ts";

/**
 * The stand-in's memory: Stripe objects as the API returns them (the fields our worker and the
 * SDK read, with Stripe's names and types), and the events their changes cause. Every change
 * that Stripe would announce appends an event holding a snapshot of the object.
 */

/** The API version the objects are shaped after: the one the pinned SDK sends. */
export const API_VERSION = "2026-10-28.endive";

type Metadata = Record<string, string>;
type Interval = "day" | "week" | "month" | "year";

export type SessionObject = Pick<
  Stripe.Checkout.Session,
  | "id"
  | "object"
  | "mode"
  | "status"
  | "payment_status"
  | "amount_total"
  | "amount_subtotal"
  | "currency"
  | "metadata"
  | "client_reference_id"
  | "payment_intent"
  | "subscription"
  | "customer"
  | "customer_email"
  | "expires_at"
  | "created"
  | "url"
  | "success_url"
  | "cancel_url"
  | "livemode"
  | "ui_mode"
  | "payment_method_types"
> & {
  /** What the buyer typed at checkout (Stripe has more; name and email are what erasure is about). */
  customer_details: { email: string | null; name: string | null } | null;
};
/** A customer, made by a subscription Checkout with what the buyer typed there. */
export type CustomerObject = Pick<
  Stripe.Customer,
  "id" | "object" | "email" | "name" | "metadata" | "created" | "livemode"
>;
/** What a deleted customer reads back as: its id, and nothing about the person. */
export interface DeletedCustomerObject {
  id: string;
  object: "customer";
  deleted: true;
}
export type PaymentIntentObject = Pick<
  Stripe.PaymentIntent,
  | "id"
  | "object"
  | "amount"
  | "amount_received"
  | "currency"
  | "status"
  | "metadata"
  | "latest_charge"
  | "customer"
  | "created"
  | "livemode"
>;
export type ChargeObject = Pick<
  Stripe.Charge,
  | "id"
  | "object"
  | "amount"
  | "amount_captured"
  | "amount_refunded"
  | "captured"
  | "currency"
  | "paid"
  | "refunded"
  | "disputed"
  | "status"
  | "payment_intent"
  | "metadata"
  | "customer"
  | "created"
  | "livemode"
>;
export type RefundObject = Pick<
  Stripe.Refund,
  "id" | "object" | "amount" | "charge" | "currency" | "payment_intent" | "reason" | "status" | "metadata" | "created"
>;
export type DisputeObject = Pick<
  Stripe.Dispute,
  | "id"
  | "object"
  | "amount"
  | "charge"
  | "currency"
  | "payment_intent"
  | "reason"
  | "status"
  | "metadata"
  | "created"
  | "livemode"
  | "is_charge_refundable"
>;
export interface SubscriptionItemObject {
  id: string;
  object: "subscription_item";
  current_period_start: number;
  current_period_end: number;
  quantity: number;
  price: {
    id: string;
    object: "price";
    currency: string;
    unit_amount: number;
    recurring: { interval: Interval; interval_count: number };
    product: string;
  };
}
export type SubscriptionObject = Pick<
  Stripe.Subscription,
  | "id"
  | "object"
  | "status"
  | "customer"
  | "cancel_at_period_end"
  | "cancel_at"
  | "canceled_at"
  | "ended_at"
  | "created"
  | "start_date"
  | "billing_cycle_anchor"
  | "currency"
  | "metadata"
  | "latest_invoice"
  | "collection_method"
  | "livemode"
> & { items: { object: "list"; data: SubscriptionItemObject[]; has_more: false; url: string } };
export interface InvoiceObject {
  id: string;
  object: "invoice";
  status: "draft" | "open" | "paid" | "uncollectible" | "void";
  amount_due: number;
  amount_paid: number;
  amount_remaining: number;
  attempt_count: number;
  attempted: boolean;
  billing_reason: "subscription_create" | "subscription_cycle";
  collection_method: "charge_automatically";
  created: number;
  currency: string;
  customer: string;
  livemode: false;
  period_start: number;
  period_end: number;
  parent: {
    type: "subscription_details";
    quote_details: null;
    subscription_details: { metadata: Metadata; subscription: string };
  };
  lines: {
    object: "list";
    has_more: false;
    url: string;
    data: Array<{
      id: string;
      object: "line_item";
      amount: number;
      currency: string;
      period: { start: number; end: number };
    }>;
  };
}

export type StripeObject =
  | SessionObject
  | PaymentIntentObject
  | ChargeObject
  | RefundObject
  | DisputeObject
  | SubscriptionObject
  | InvoiceObject
  | CustomerObject
  | DeletedCustomerObject;

export interface EventObject {
  id: string;
  object: "event";
  api_version: string;
  created: number;
  livemode: false;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
  type: string;
  data: { object: StripeObject; previous_attributes?: Record<string, unknown> };
}

/** What Checkout was asked to sell: kept beside the session (Stripe returns it only when expanded). */
interface SessionExtras {
  unitAmount: number;
  quantity: number;
  productName: string;
  interval: Interval | null;
  paymentIntentMetadata: Metadata;
  subscriptionMetadata: Metadata;
}

/** What a buyer types at a hosted checkout page. */
export interface Buyer {
  readonly email?: string;
  readonly name?: string;
}

export interface RequestContext {
  readonly requestId: string;
  readonly idempotencyKey: string | null;
}

const now = () => Math.floor(Date.now() / 1000);
const clone = <T>(value: T): T => structuredClone(value);

function addInterval(start: number, interval: Interval): number {
  const date = new Date(start * 1000);
  if (interval === "day") date.setUTCDate(date.getUTCDate() + 1);
  if (interval === "week") date.setUTCDate(date.getUTCDate() + 7);
  if (interval === "month") date.setUTCMonth(date.getUTCMonth() + 1);
  if (interval === "year") date.setUTCFullYear(date.getUTCFullYear() + 1);
  return Math.floor(date.getTime() / 1000);
}

export class StandInState {
  readonly sessions = new Map<string, SessionObject>();
  readonly paymentIntents = new Map<string, PaymentIntentObject>();
  readonly charges = new Map<string, ChargeObject>();
  readonly refunds = new Map<string, RefundObject>();
  readonly disputes = new Map<string, DisputeObject>();
  readonly subscriptions = new Map<string, SubscriptionObject>();
  readonly invoices = new Map<string, InvoiceObject>();
  readonly customers = new Map<string, CustomerObject | DeletedCustomerObject>();
  readonly events: EventObject[] = [];
  private readonly extras = new Map<string, SessionExtras>();

  private readonly baseUrl: () => string;

  constructor(baseUrl: () => string) {
    this.baseUrl = baseUrl;
  }

  /** Appends an event with a snapshot of the object as it is now. */
  emit(
    type: string,
    object: StripeObject,
    request: RequestContext | null,
    previous?: Record<string, unknown>,
  ): EventObject {
    const event: EventObject = {
      id: ids.event(),
      object: "event",
      api_version: API_VERSION,
      created: now(),
      livemode: false,
      pending_webhooks: 1,
      request: { id: request?.requestId ?? null, idempotency_key: request?.idempotencyKey ?? null },
      type,
      data: { object: clone(object), ...(previous && { previous_attributes: previous }) },
    };
    this.events.push(event);
    return event;
  }

  find(id: string): StripeObject | undefined {
    for (const store of [
      this.sessions,
      this.paymentIntents,
      this.charges,
      this.refunds,
      this.disputes,
      this.subscriptions,
      this.invoices,
      this.customers,
    ]) {
      const found = (store as Map<string, StripeObject>).get(id);
      if (found) return found;
    }
    return undefined;
  }

  session(id: string): SessionObject {
    const session = this.sessions.get(id);
    if (!session) throw missing("checkout.session", id);
    return session;
  }

  subscription(id: string): SubscriptionObject {
    const subscription = this.subscriptions.get(id);
    if (!subscription) throw missing("subscription", id);
    return subscription;
  }

  charge(id: string): ChargeObject {
    const charge = this.charges.get(id);
    if (!charge) throw missing("charge", id);
    return charge;
  }

  /** GET /v1/customers/:id: a deleted one reads back as `{ id, object, deleted: true }`, as at Stripe. */
  customer(id: string): CustomerObject | DeletedCustomerObject {
    const customer = this.customers.get(id);
    if (!customer) throw missing("customer", id);
    return customer;
  }

  paymentIntent(id: string): PaymentIntentObject {
    const intent = this.paymentIntents.get(id);
    if (!intent) throw missing("payment_intent", id);
    return intent;
  }

  // ---- POST /v1/checkout/sessions -------------------------------------------------------------

  createSession(params: FormObject): SessionObject {
    const mode = text(params.mode);
    if (mode !== "payment" && mode !== "subscription" && mode !== "setup") {
      throw invalid("Invalid mode: must be one of payment, setup, or subscription", "mode");
    }
    if (mode === "setup") throw invalid("This stand-in does not implement setup mode.", "mode");
    const lineItems = field(params, "line_items");
    if (!Array.isArray(lineItems) || lineItems.length !== 1) {
      throw invalid("This stand-in takes exactly one line item (line_items[0]).", "line_items");
    }
    const currency = text(field(params, "line_items", 0, "price_data", "currency"));
    const unitAmount = integer(field(params, "line_items", 0, "price_data", "unit_amount"));
    const productName = text(field(params, "line_items", 0, "price_data", "product_data", "name"));
    const quantity = integer(field(params, "line_items", 0, "quantity")) ?? 1;
    const interval = text(field(params, "line_items", 0, "price_data", "recurring", "interval"));
    if (!currency || !/^[a-z]{3}$/.test(currency))
      throw invalid("Invalid currency.", "line_items[0][price_data][currency]");
    if (unitAmount === undefined || unitAmount < 0)
      throw invalid("Invalid integer: unit_amount.", "line_items[0][price_data][unit_amount]");
    if (!productName)
      throw invalid(
        "Missing required param: line_items[0][price_data][product_data][name].",
        "line_items[0][price_data][product_data][name]",
      );
    if (quantity < 1) throw invalid("Quantity must be at least 1.", "line_items[0][quantity]");
    if (mode === "subscription" && !interval) {
      throw invalid(
        "You must provide at least one recurring price in `subscription` mode when using prices.",
        "line_items",
      );
    }
    if (mode === "payment" && interval) {
      throw invalid(
        "You specified `payment` mode but passed a recurring price. Either switch to `subscription` mode or use only one-time prices.",
        "line_items",
      );
    }
    if (interval && !["day", "week", "month", "year"].includes(interval)) {
      throw invalid("Invalid recurring interval.", "line_items[0][price_data][recurring][interval]");
    }
    const successUrl = text(params.success_url);
    if (!successUrl) throw invalid("Missing required param: success_url.", "success_url");
    const created = now();
    const expiresAt = integer(params.expires_at) ?? created + 24 * 3600;
    if (expiresAt < created + 30 * 60 - 5 || expiresAt > created + 24 * 3600 + 5) {
      throw invalid(
        "The `expires_at` timestamp must be between 30 minutes and 24 hours from Checkout Session creation.",
        "expires_at",
      );
    }
    const id = ids.checkoutSession();
    const amount = unitAmount * quantity;
    const session: SessionObject = {
      id,
      object: "checkout.session",
      mode,
      status: "open",
      payment_status: "unpaid",
      amount_subtotal: amount,
      amount_total: amount,
      currency,
      metadata: readMetadata(params.metadata),
      client_reference_id: text(params.client_reference_id) ?? null,
      payment_intent: null,
      subscription: null,
      customer: null,
      customer_email: text(params.customer_email) ?? null,
      customer_details: null,
      expires_at: expiresAt,
      created,
      url: `${this.baseUrl()}/c/pay/${id}`,
      success_url: successUrl,
      cancel_url: text(params.cancel_url) ?? null,
      livemode: false,
      ui_mode: "hosted",
      payment_method_types: ["card"],
    };
    this.sessions.set(id, session);
    this.extras.set(id, {
      unitAmount,
      quantity,
      productName,
      interval: (interval as Interval | undefined) ?? null,
      paymentIntentMetadata: readMetadata(field(params, "payment_intent_data", "metadata")),
      subscriptionMetadata: readMetadata(field(params, "subscription_data", "metadata")),
    });
    return session;
  }

  // ---- the buyer at the hosted checkout page ---------------------------------------------------

  /**
   * The buyer pays. `paid`: a card, money taken at once. `processing`: a bank debit, which
   * settles later (see settleAsync). A subscription checkout is always paid by card here.
   * `buyer`: what they typed at checkout. A subscription checkout makes a Customer holding it;
   * a payment one makes none (Stripe's `customer_creation: if_required`): only the session's
   * `customer_details` keep it.
   */
  completeSession(id: string, payment: "paid" | "processing", buyer: Buyer = {}): EventObject[] {
    const session = this.session(id);
    if (session.status !== "open") throw invalid(`This Checkout Session is ${session.status}.`, "session");
    const extras = this.extras.get(id);
    if (!extras || session.amount_total === null || session.currency === null)
      throw new Error("session without its line item");
    const at = now();
    const details = { email: buyer.email ?? session.customer_email ?? null, name: buyer.name ?? null };
    session.customer_details = details;
    if (session.mode === "subscription") {
      const customer: CustomerObject = {
        id: ids.customer(),
        object: "customer",
        email: details.email,
        name: details.name,
        metadata: {},
        created: at,
        livemode: false,
      };
      this.customers.set(customer.id, customer);
      return this.startSubscription(session, extras, customer.id, at);
    }
    // A guest: no Customer; the email and name stay on the session's customer_details only.
    const customer = null;

    const intent: PaymentIntentObject = {
      id: ids.paymentIntent(),
      object: "payment_intent",
      amount: session.amount_total,
      amount_received: 0,
      currency: session.currency,
      status: "processing",
      metadata: extras.paymentIntentMetadata,
      latest_charge: null,
      customer,
      created: at,
      livemode: false,
    };
    this.paymentIntents.set(intent.id, intent);
    if (payment === "paid") this.succeedIntent(intent);
    Object.assign(session, {
      status: "complete",
      payment_status: payment === "paid" ? "paid" : "unpaid",
      payment_intent: intent.id,
      customer,
      url: null,
    } satisfies Partial<SessionObject>);
    return [this.emit("checkout.session.completed", session, null)];
  }

  /** A bank debit settles (or fails) days later. */
  settleAsync(id: string, outcome: "succeeded" | "failed"): EventObject[] {
    const session = this.session(id);
    const intentId = typeof session.payment_intent === "string" ? session.payment_intent : null;
    if (session.status !== "complete" || session.payment_status !== "unpaid" || !intentId) {
      throw invalid("Only a completed checkout whose payment is still processing can settle.", "session");
    }
    const intent = this.paymentIntent(intentId);
    if (outcome === "succeeded") {
      this.succeedIntent(intent);
      session.payment_status = "paid";
      return [this.emit("checkout.session.async_payment_succeeded", session, null)];
    }
    intent.status = "requires_payment_method";
    return [this.emit("checkout.session.async_payment_failed", session, null)];
  }

  /** POST /v1/checkout/sessions/:id/expire, or the session's time running out. */
  expireSession(id: string, request: RequestContext | null): { session: SessionObject; events: EventObject[] } {
    const session = this.session(id);
    if (session.status !== "open") {
      throw invalid(
        `Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${session.status}".`,
      );
    }
    session.status = "expired";
    session.url = null;
    return { session, events: [this.emit("checkout.session.expired", session, request)] };
  }

  private succeedIntent(intent: PaymentIntentObject): ChargeObject {
    const charge: ChargeObject = {
      id: ids.charge(),
      object: "charge",
      amount: intent.amount,
      amount_captured: intent.amount,
      amount_refunded: 0,
      captured: true,
      currency: intent.currency,
      paid: true,
      refunded: false,
      disputed: false,
      status: "succeeded",
      payment_intent: intent.id,
      // Charges carry their PaymentIntent's metadata, so refund and dispute events name the purchase.
      metadata: { ...intent.metadata },
      customer: intent.customer,
      created: now(),
      livemode: false,
    };
    this.charges.set(charge.id, charge);
    Object.assign(intent, {
      status: "succeeded",
      amount_received: intent.amount,
      latest_charge: charge.id,
    } satisfies Partial<PaymentIntentObject>);
    return charge;
  }

  private startSubscription(
    session: SessionObject,
    extras: SessionExtras,
    customer: string,
    at: number,
  ): EventObject[] {
    if (!extras.interval || session.currency === null || session.amount_total === null)
      throw new Error("a subscription session without its price");
    const subscriptionId = ids.subscription();
    const periodEnd = addInterval(at, extras.interval);
    const invoice = this.invoiceFor(
      subscriptionId,
      extras.subscriptionMetadata,
      customer,
      session.currency,
      session.amount_total,
      at,
      periodEnd,
      {
        paid: true,
        reason: "subscription_create",
      },
    );
    const subscription: SubscriptionObject = {
      id: subscriptionId,
      object: "subscription",
      status: "active",
      customer,
      cancel_at_period_end: false,
      cancel_at: null,
      canceled_at: null,
      ended_at: null,
      created: at,
      start_date: at,
      billing_cycle_anchor: at,
      currency: session.currency,
      metadata: extras.subscriptionMetadata,
      latest_invoice: invoice.id,
      collection_method: "charge_automatically",
      livemode: false,
      items: {
        object: "list",
        has_more: false,
        url: `/v1/subscription_items?subscription=${subscriptionId}`,
        data: [
          {
            id: ids.subscriptionItem(),
            object: "subscription_item",
            current_period_start: at,
            current_period_end: periodEnd,
            quantity: extras.quantity,
            price: {
              id: ids.price(),
              object: "price",
              currency: session.currency,
              unit_amount: extras.unitAmount,
              recurring: { interval: extras.interval, interval_count: 1 },
              product: ids.product(),
            },
          },
        ],
      },
    };
    this.subscriptions.set(subscriptionId, subscription);
    Object.assign(session, {
      status: "complete",
      payment_status: "paid",
      subscription: subscriptionId,
      customer,
      url: null,
    } satisfies Partial<SessionObject>);
    return [
      this.emit("customer.subscription.created", subscription, null),
      this.emit("invoice.paid", invoice, null),
      this.emit("checkout.session.completed", session, null),
    ];
  }

  private invoiceFor(
    subscriptionId: string,
    subscriptionMetadata: Metadata,
    customer: string,
    currency: string,
    amount: number,
    periodStart: number,
    periodEnd: number,
    { paid, reason }: { paid: boolean; reason: InvoiceObject["billing_reason"] },
  ): InvoiceObject {
    const invoice: InvoiceObject = {
      id: ids.invoice(),
      object: "invoice",
      status: paid ? "paid" : "open",
      amount_due: amount,
      amount_paid: paid ? amount : 0,
      amount_remaining: paid ? 0 : amount,
      attempt_count: 1,
      attempted: true,
      billing_reason: reason,
      collection_method: "charge_automatically",
      // A renewal invoice is made when the period it pays for begins, not before.
      created: reason === "subscription_cycle" ? periodStart : now(),
      currency,
      customer,
      livemode: false,
      // An invoice's own period is the one before it; the line's period is what it pays for.
      period_start: periodStart,
      period_end: periodStart,
      parent: {
        type: "subscription_details",
        quote_details: null,
        subscription_details: { metadata: { ...subscriptionMetadata }, subscription: subscriptionId },
      },
      lines: {
        object: "list",
        has_more: false,
        url: "",
        data: [
          {
            id: ids.invoiceLine(),
            object: "line_item",
            amount,
            currency,
            period: { start: periodStart, end: periodEnd },
          },
        ],
      },
    };
    invoice.lines.url = `/v1/invoices/${invoice.id}/lines`;
    this.invoices.set(invoice.id, invoice);
    return invoice;
  }

  // ---- POST /v1/refunds -------------------------------------------------------------------------

  createRefund(params: FormObject, request: RequestContext): { refund: RefundObject; events: EventObject[] } {
    const intentId = text(params.payment_intent);
    const chargeParam = text(params.charge);
    if (!intentId && !chargeParam) throw invalid("One of `charge` or `payment_intent` is required.");
    let chargeId = chargeParam;
    if (intentId) {
      const intent = this.paymentIntents.get(intentId);
      if (!intent) throw missing("payment_intent", intentId, "payment_intent");
      if (intent.status !== "succeeded" || typeof intent.latest_charge !== "string") {
        throw invalid(
          `This PaymentIntent (${intentId}) does not have a successful charge to refund.`,
          "payment_intent",
        );
      }
      chargeId = intent.latest_charge;
    }
    const charge = this.charge(chargeId as string);
    const refundable = charge.amount - charge.amount_refunded;
    if (refundable === 0)
      throw invalid(`Charge ${charge.id} has already been refunded.`, undefined, "charge_already_refunded");
    const amount = integer(params.amount) ?? refundable;
    if (amount <= 0 || amount > refundable) {
      throw invalid(
        `Refund amount (${amount}) is greater than unrefunded amount on charge (${refundable})`,
        "amount",
        "amount_too_large",
      );
    }
    const refund: RefundObject = {
      id: ids.refund(),
      object: "refund",
      amount,
      charge: charge.id,
      currency: charge.currency,
      payment_intent: typeof charge.payment_intent === "string" ? charge.payment_intent : null,
      reason: (text(params.reason) as RefundObject["reason"] | undefined) ?? null,
      status: "succeeded",
      metadata: readMetadata(params.metadata),
      created: now(),
    };
    this.refunds.set(refund.id, refund);
    const previous = { amount_refunded: charge.amount_refunded, refunded: charge.refunded };
    charge.amount_refunded += amount;
    charge.refunded = charge.amount_refunded === charge.amount;
    return {
      refund,
      events: [this.emit("charge.refunded", charge, request, previous), this.emit("refund.created", refund, request)],
    };
  }

  // ---- disputes (the buyer's bank) --------------------------------------------------------------

  dispute(chargeId: string): EventObject[] {
    const charge = this.charge(chargeId);
    const dispute: DisputeObject = {
      id: ids.dispute(),
      object: "dispute",
      amount: charge.amount - charge.amount_refunded,
      charge: charge.id,
      currency: charge.currency,
      payment_intent: charge.payment_intent,
      reason: "fraudulent",
      status: "needs_response",
      // Disputes carry no metadata of their own: a handler must find the purchase by its intent.
      metadata: {},
      created: now(),
      livemode: false,
      is_charge_refundable: false,
    };
    this.disputes.set(dispute.id, dispute);
    charge.disputed = true;
    return [this.emit("charge.dispute.created", dispute, null)];
  }

  // ---- subscriptions ----------------------------------------------------------------------------

  /** POST /v1/subscriptions/:id: this stand-in changes cancel_at_period_end and metadata. */
  updateSubscription(
    id: string,
    params: FormObject,
    request: RequestContext | null,
  ): { subscription: SubscriptionObject; events: EventObject[] } {
    const subscription = this.subscription(id);
    const ended = subscription.status === "canceled" || subscription.status === "incomplete_expired";
    if (ended && Object.keys(params).some((key) => key !== "metadata" && key !== "cancellation_details")) {
      throw invalid("A canceled subscription can only update its cancellation_details and metadata.");
    }
    const previous: Record<string, unknown> = {};
    const cancel = bool(params.cancel_at_period_end);
    if (cancel !== undefined && cancel !== subscription.cancel_at_period_end) {
      Object.assign(previous, {
        cancel_at_period_end: subscription.cancel_at_period_end,
        cancel_at: subscription.cancel_at,
        canceled_at: subscription.canceled_at,
      });
      subscription.cancel_at_period_end = cancel;
      subscription.cancel_at = cancel ? this.periodEnd(subscription) : null;
      subscription.canceled_at = cancel ? now() : null;
    }
    if (params.metadata !== undefined) {
      previous.metadata = { ...subscription.metadata };
      subscription.metadata = readMetadata(params.metadata, subscription.metadata);
    }
    const events =
      Object.keys(previous).length > 0
        ? [this.emit("customer.subscription.updated", subscription, request, previous)]
        : [];
    return { subscription, events };
  }

  /**
   * DELETE /v1/customers/:id: the customer's running subscriptions end at once (each announced),
   * then the customer is gone: it reads back as a stub without its email or name. Its charges and
   * invoices stay. Deleting it again is `resource_missing`, as at Stripe.
   */
  deleteCustomer(
    id: string,
    request: RequestContext | null,
  ): { deleted: DeletedCustomerObject; events: EventObject[] } {
    const customer = this.customers.get(id);
    if (!customer || "deleted" in customer) throw missing("customer", id);
    const events: EventObject[] = [];
    for (const subscription of this.subscriptions.values()) {
      if (subscription.customer === id && subscription.status !== "canceled") {
        events.push(...this.cancelSubscription(subscription.id, request).events);
      }
    }
    const deleted: DeletedCustomerObject = { id, object: "customer", deleted: true };
    this.customers.set(id, deleted);
    events.push(this.emit("customer.deleted", customer, request));
    return { deleted, events };
  }

  /** POST /v1/payment_intents/:id and /v1/charges/:id: this stand-in changes metadata only. */
  updateMetadata(
    id: string,
    params: FormObject,
    request: RequestContext | null,
  ): { object: PaymentIntentObject | ChargeObject; events: EventObject[] } {
    const object = id.startsWith("ch_") ? this.charge(id) : this.paymentIntent(id);
    if (params.metadata === undefined) return { object, events: [] };
    const previous = { metadata: { ...object.metadata } };
    object.metadata = readMetadata(params.metadata, object.metadata);
    const type = object.object === "charge" ? "charge.updated" : "payment_intent.updated";
    return { object, events: [this.emit(type, object, request, previous)] };
  }

  /** DELETE /v1/subscriptions/:id: ends it now. */
  cancelSubscription(
    id: string,
    request: RequestContext | null,
  ): { subscription: SubscriptionObject; events: EventObject[] } {
    const subscription = this.subscription(id);
    if (subscription.status === "canceled") {
      throw invalid(`No such subscription: '${id}'; it has been canceled.`, "id", "resource_missing");
    }
    const at = now();
    Object.assign(subscription, {
      status: "canceled",
      ended_at: at,
      canceled_at: subscription.canceled_at ?? at,
    } satisfies Partial<SubscriptionObject>);
    return { subscription, events: [this.emit("customer.subscription.deleted", subscription, request)] };
  }

  /** The next period's invoice: paid, or failed (the subscription goes past due). */
  renewSubscription(id: string, paid: boolean): EventObject[] {
    const subscription = this.subscription(id);
    const item = subscription.items.data[0];
    if (!item || subscription.status === "canceled") throw invalid("Only a running subscription renews.");
    const start = item.current_period_end;
    const end = addInterval(start, item.price.recurring.interval);
    const invoice = this.invoiceFor(
      subscription.id,
      subscription.metadata,
      String(subscription.customer),
      subscription.currency,
      item.price.unit_amount * item.quantity,
      start,
      end,
      { paid, reason: "subscription_cycle" },
    );
    const previous = {
      status: subscription.status,
      latest_invoice: subscription.latest_invoice,
      items: clone(subscription.items),
    };
    item.current_period_start = start;
    item.current_period_end = end;
    subscription.latest_invoice = invoice.id;
    subscription.status = paid ? "active" : "past_due";
    if (subscription.cancel_at_period_end) subscription.cancel_at = end;
    return [
      this.emit(paid ? "invoice.paid" : "invoice.payment_failed", invoice, null),
      this.emit("customer.subscription.updated", subscription, null, previous),
    ];
  }

  private periodEnd(subscription: SubscriptionObject): number {
    return Math.max(...subscription.items.data.map((item) => item.current_period_end));
  }
}
