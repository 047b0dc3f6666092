import Stripe from "stripe";
import type { EventObject } from "./state.ts";

export interface DeliveryResult {
  readonly eventId: string;
  readonly type: string;
  /** The endpoint's last answer; 0 when it could not be reached. */
  readonly status: number;
  readonly attempts: number;
  readonly body: string;
}

export interface DeliveryOptions {
  /** Extra request headers, e.g. a client address for a gateway's per-client limits. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Stripe retries failed deliveries (for days); this stand-in a few times, quickly. */
  readonly retries?: number;
}

/** Stripe sends its events pretty-printed; a handler must verify these exact bytes. */
export const payloadOf = (event: EventObject) => JSON.stringify(event, null, 2);

/** The `Stripe-Signature` header for a payload, computed by the SDK exactly as Stripe signs. */
export function signatureFor(payload: string, secret: string, timestamp = Math.floor(Date.now() / 1000)): string {
  return Stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp });
}

/**
 * POSTs one event to a webhook endpoint as Stripe does: JSON body, `Stripe-Signature` freshly
 * computed for each attempt, Stripe's user agent. A 2xx ends it; a network error or 5xx is
 * retried (a 4xx is the endpoint refusing the event and is not).
 */
export async function deliver(
  url: string,
  secret: string,
  event: EventObject,
  options: DeliveryOptions = {},
): Promise<DeliveryResult> {
  const payload = payloadOf(event);
  const retries = options.retries ?? 3;
  let last: DeliveryResult = { eventId: event.id, type: event.type, status: 0, attempts: 0, body: "" };
  for (let attempt = 1; attempt <= retries + 1; attempt += 1) {
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: {
          "content-type": "application/json; charset=utf-8",
          "user-agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
          "stripe-signature": signatureFor(payload, secret),
          ...options.headers,
        },
        body: payload,
        signal: AbortSignal.timeout(20_000),
      });
      last = {
        eventId: event.id,
        type: event.type,
        status: response.status,
        attempts: attempt,
        body: await response.text(),
      };
      if (response.status < 500) return last;
    } catch (error) {
      last = {
        eventId: event.id,
        type: event.type,
        status: 0,
        attempts: attempt,
        body: error instanceof Error ? error.message : String(error),
      };
    }
    await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
  }
  return last;
}
