import type { EventObject, StripeObject } from "./state.ts";
import type { DeliveryResult } from "./webhooks.ts";

export interface ControlResult {
  readonly events: EventObject[];
  /** Empty when asked not to deliver (or no endpoint is set). */
  readonly deliveries: DeliveryResult[];
}

export interface LoggedRequest {
  readonly method: string;
  readonly path: string;
  readonly idempotencyKey: string | null;
  readonly status: number;
  readonly params: Record<string, unknown>;
}

/**
 * The stand-in's test-control API, for test files and benchmarks in other processes than the one
 * that started it. Each action plays someone Stripe hears from (the buyer at checkout, the bank,
 * the dashboard) and returns the events it caused; they are delivered unless `deliver: false`.
 */
export function standInClient(baseUrl: string) {
  async function call<T>(method: string, path: string, body?: Record<string, unknown>): Promise<T> {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: body ? { "content-type": "application/json" } : {},
      ...(body && { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`stand-in ${method} ${path} answered ${response.status}: ${text}`);
    return JSON.parse(text) as T;
  }
  type Deliver = { deliver?: boolean };
  return {
    /**
     * The buyer pays at checkout: by card (`paid`) or by bank debit that settles later (`processing`),
     * typing `email` and `name` (a subscription checkout keeps them on the Customer it makes).
     */
    completeCheckout: (
      sessionId: string,
      options: Deliver & { payment?: "paid" | "processing"; email?: string; name?: string } = {},
    ) => call<ControlResult>("POST", `/_stand-in/checkout/sessions/${sessionId}/complete`, options),
    /** The bank debit settles, or fails. */
    settleCheckout: (sessionId: string, outcome: "succeeded" | "failed", options: Deliver = {}) =>
      call<ControlResult>("POST", `/_stand-in/checkout/sessions/${sessionId}/settle`, { ...options, outcome }),
    expireCheckout: (sessionId: string, options: Deliver = {}) =>
      call<ControlResult>("POST", `/_stand-in/checkout/sessions/${sessionId}/expire`, options),
    /** The buyer's bank disputes the charge. */
    disputeCharge: (chargeId: string, options: Deliver = {}) =>
      call<ControlResult>("POST", `/_stand-in/charges/${chargeId}/dispute`, options),
    /** A refund made in Stripe's dashboard. */
    refundCharge: (chargeId: string, options: Deliver & { amount?: number } = {}) =>
      call<ControlResult>("POST", `/_stand-in/charges/${chargeId}/refund`, options),
    renewSubscription: (subscriptionId: string, options: Deliver & { paid?: boolean } = {}) =>
      call<ControlResult>("POST", `/_stand-in/subscriptions/${subscriptionId}/renew`, options),
    cancelSubscriptionAtPeriodEnd: (subscriptionId: string, options: Deliver = {}) =>
      call<ControlResult>("POST", `/_stand-in/subscriptions/${subscriptionId}/cancel-at-period-end`, options),
    cancelSubscriptionNow: (subscriptionId: string, options: Deliver = {}) =>
      call<ControlResult>("POST", `/_stand-in/subscriptions/${subscriptionId}/cancel`, options),
    /** Sends an event (again): `times` deliveries, one after another or all at once. */
    deliverEvent: (
      eventId: string,
      options: { times?: number; concurrently?: boolean; headers?: Record<string, string> } = {},
    ) => call<{ deliveries: DeliveryResult[] }>("POST", `/_stand-in/events/${eventId}/deliver`, options),
    events: (filter: { object?: string; type?: string } = {}) =>
      call<{ events: EventObject[] }>(
        "GET",
        `/_stand-in/events?${new URLSearchParams(filter as Record<string, string>)}`,
      ).then((answer) => answer.events),
    object: <T = StripeObject>(id: string) => call<T>("GET", `/_stand-in/objects/${id}`),
    /** Every API request the stand-in received (method, path, Idempotency-Key, parameters, status). */
    requests: () => call<{ requests: LoggedRequest[] }>("GET", "/_stand-in/requests").then((answer) => answer.requests),
    /** Waits until the webhooks the API sent on its own (after refunds and updates) are delivered. */
    flush: () => call<{ flushed: true }>("POST", "/_stand-in/flush", {}),
  };
}

export type StandInClient = ReturnType<typeof standInClient>;
