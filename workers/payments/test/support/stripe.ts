import { inject } from "vitest";
import { standInClient, type EventObject } from "@platform/stripe-stand-in";
import { gatewayUrl } from "../../../../test/support/api.ts";

/** The Stripe side of the payments platform tests: the stand-in, and webhooks as Stripe (or an attacker) sends them. */
export const stripe = standInClient(inject("stripeStandInUrl"));
export const webhookSecret = inject("stripeWebhookSecret");
export const WEBHOOK_PATH = "/api/payments/webhooks/stripe";

/** The stand-in's hosted checkout URLs end in the session id, as Stripe's do. */
export function sessionIdOf(checkoutUrl: string): string {
  const id = /\/(cs_test_[A-Za-z0-9]+)$/.exec(new URL(checkoutUrl).pathname)?.[1];
  if (!id) throw new Error(`not a checkout URL: ${checkoutUrl}`);
  return id;
}

/** POSTs a webhook body with the given headers straight through the gateway, as Stripe (or an attacker) would. */
export async function postWebhook(body: string, headers: Record<string, string>) {
  const response = await fetch(`${gatewayUrl}${WEBHOOK_PATH}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "cf-connecting-ip": `2001:db8:77:${Math.floor(Math.random() * 65536).toString(16)}::1`,
      ...headers,
    },
    body,
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** The outcome the webhook endpoint answered for each delivery (applied, duplicate, …). */
export const outcomesOf = (deliveries: ReadonlyArray<{ status: number; body: string }>) =>
  deliveries.map((delivery) =>
    delivery.status === 200
      ? String((JSON.parse(delivery.body) as { outcome: string }).outcome)
      : `HTTP ${delivery.status}`,
  );

export const eventOfType = (events: readonly EventObject[], type: string): EventObject => {
  const event = events.find((candidate) => candidate.type === type);
  if (!event) throw new Error(`no ${type} among ${events.map((candidate) => candidate.type).join(", ")}`);
  return event;
};
