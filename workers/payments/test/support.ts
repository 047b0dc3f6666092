import { inject } from "vitest";
import { standInClient, type EventObject } from "@platform/stripe-stand-in";
import { api, gatewayUrl } from "../../../test/support/api.ts";
import { db, type CourseBody, type Person } from "../../courses/test/support.ts";

/** Shared by the payments platform tests: the Stripe stand-in, purchases, and what the other services saw. */

export const stripe = standInClient(inject("stripeStandInUrl"));
export const webhookSecret = inject("stripeWebhookSecret");
export const WEBHOOK_PATH = "/api/payments/webhooks/stripe";
export { db };

export interface Checkout {
  paymentId: string;
  checkoutUrl: string;
  expiresAt: string;
}

export async function buy(person: Person, course: { id: string }, headers: Record<string, string> = {}) {
  return api<Checkout>("POST", `/api/payments/courses/${course.id}`, { token: person.token, headers });
}

/** Opens a checkout that must succeed, and returns it with the stand-in's session id. */
export async function checkout(person: Person, course: { id: string }) {
  const answer = await buy(person, course);
  if (answer.status !== 201) throw new Error(`purchase answered ${answer.status} ${JSON.stringify(answer.body)}`);
  return { ...answer.body, sessionId: sessionIdOf(answer.body.checkoutUrl) };
}

/** The stand-in's hosted checkout URLs end in the session id, as Stripe's do. */
export function sessionIdOf(checkoutUrl: string): string {
  const id = /\/(cs_test_[A-Za-z0-9]+)$/.exec(new URL(checkoutUrl).pathname)?.[1];
  if (!id) throw new Error(`not a checkout URL: ${checkoutUrl}`);
  return id;
}

export async function lessonsAccess(course: CourseBody | { id: string }, person: Person) {
  const answer = await api<{ access: "full" | "preview"; lessons: Array<{ locked: boolean }> }>(
    "GET",
    `/api/courses/${course.id}/lessons`,
    { token: person.token },
  );
  if (answer.status !== 200) throw new Error(`lessons answered ${answer.status}`);
  return answer.body;
}

export async function paymentStatus(paymentId: string): Promise<string | undefined> {
  const { rows } = await db.query<{ status: string }>("select status from payments.payments where id = $1", [paymentId]);
  return rows[0]?.status;
}

/** How many events of a type the payments outbox holds for these payments (or subscriptions). */
export async function paymentEvents(type: string, ids: readonly string[], key = "paymentId"): Promise<number> {
  const { rows } = await db.query<{ n: string }>(
    `select count(*) as n from payments.outbox where type = $1 and envelope->'data'->>'${key}' = any($2)`,
    [type, ids],
  );
  return Number(rows[0]?.n ?? 0);
}

/** Grants the courses service recorded for these payments. */
export async function accessGrants(paymentIds: readonly string[]): Promise<{ events: number; enrollments: number }> {
  const events = await db.query<{ n: string }>(
    "select count(*) as n from courses.outbox where type = 'COURSE_ACCESS_GRANTED' and envelope->'data'->>'reference' = any($1)",
    [paymentIds],
  );
  const enrollments = await db.query<{ n: string }>(
    "select count(*) as n from courses.enrollments where via = 'purchase' and reference = any($1) and revoked_at is null",
    [paymentIds],
  );
  return { events: Number(events.rows[0]?.n ?? 0), enrollments: Number(enrollments.rows[0]?.n ?? 0) };
}

export async function stripeEventRows(eventIds: readonly string[]): Promise<number> {
  const { rows } = await db.query<{ n: string }>("select count(*) as n from payments.stripe_events where event_id = any($1)", [eventIds]);
  return Number(rows[0]?.n ?? 0);
}

/** POSTs a webhook body with the given headers straight through the gateway, as Stripe (or an attacker) would. */
export async function postWebhook(body: string, headers: Record<string, string>) {
  const response = await fetch(`${gatewayUrl}${WEBHOOK_PATH}`, {
    method: "POST",
    headers: { "content-type": "application/json", "cf-connecting-ip": `2001:db8:77:${Math.floor(Math.random() * 65536).toString(16)}::1`, ...headers },
    body,
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** The outcome the webhook endpoint answered for each delivery (applied, duplicate, …). */
export const outcomesOf = (deliveries: ReadonlyArray<{ status: number; body: string }>) =>
  deliveries.map((delivery) => (delivery.status === 200 ? String((JSON.parse(delivery.body) as { outcome: string }).outcome) : `HTTP ${delivery.status}`));

export const eventOfType = (events: readonly EventObject[], type: string): EventObject => {
  const event = events.find((candidate) => candidate.type === type);
  if (!event) throw new Error(`no ${type} among ${events.map((candidate) => candidate.type).join(", ")}`);
  return event;
};
