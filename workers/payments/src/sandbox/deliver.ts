import Stripe from "stripe";
import { CORRELATION_HEADER } from "@platform/http-kit";
import { webCrypto } from "../provider/stripe.ts";

export const STRIPE_WEBHOOK_PATH = "/api/payments/webhooks/stripe";

/**
 * Sends events to this worker's own Stripe webhook endpoint, in-process, signed exactly as Stripe
 * signs them (`Stripe-Signature: t=…,v1=HMAC-SHA256("t.body")`, computed by the SDK), one after
 * another in the order given. Throws if the handler refuses one.
 */
export async function deliverToSelf(
  loopback: (request: Request) => Promise<Response>,
  origin: string,
  secret: string,
  events: readonly unknown[],
  correlationId: string,
): Promise<void> {
  for (const event of events) {
    const payload = JSON.stringify(event, null, 2);
    const signature = await Stripe.webhooks.generateTestHeaderStringAsync({
      payload,
      secret,
      cryptoProvider: webCrypto,
    });
    const response = await loopback(
      new Request(new URL(STRIPE_WEBHOOK_PATH, origin), {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "stripe-signature": signature,
          [CORRELATION_HEADER]: correlationId,
        },
        body: payload,
      }),
    );
    if (!response.ok) throw new Error(`the webhook handler answered ${response.status}: ${await response.text()}`);
  }
}
