import { expect, inject } from "vitest";
import { standInClient } from "@platform/stripe-stand-in";
import { api, registerAndLogin } from "../../../../test/support/api.ts";
import { db } from "../../../../test/support/database.ts";
import type { Person } from "../../../../test/support/people.ts";
import { ASYNC_EFFECTS } from "../../../../test/support/polling.ts";

/**
 * The learner's steps the notifications platform tests take on the running stack, through the gateway and the
 * Stripe stand-in, and what they read back from the delivery log.
 */
export const stripe = standInClient(inject("stripeStandInUrl"));

/** A learner who can be written to: their address (for the mailbox), their id and an access token. */
export interface Addressable extends Person {
  readonly email: string;
}

export async function newLearner(tag: string): Promise<Addressable> {
  const session = await registerAndLogin(tag);
  return { email: session.email, userId: session.userId, token: session.tokens.accessToken };
}

/** The stand-in's hosted checkout URLs end in the session id, as Stripe's do. */
export function sessionIdOf(checkoutUrl: string): string {
  const id = /\/(cs_test_[A-Za-z0-9]+)$/.exec(new URL(checkoutUrl).pathname)?.[1];
  if (!id) throw new Error(`not a checkout URL: ${checkoutUrl}`);
  return id;
}

/** Buys a paid course through payments and the Stripe stand-in's checkout (its webhook reaches the gateway). */
export async function buy(buyer: Person, course: { id: string }): Promise<void> {
  const answer = await api<{ checkoutUrl: string }>("POST", `/api/payments/courses/${course.id}`, {
    token: buyer.token,
  });
  expect(answer.status).toBe(201);
  await stripe.completeCheckout(sessionIdOf(answer.body.checkoutUrl));
}

export async function completeEveryLesson(learner: Person, courseId: string): Promise<void> {
  const lessons = await api<{ lessons: { id: string }[] }>("GET", `/api/courses/${courseId}/lessons`, {
    token: learner.token,
  });
  expect(lessons.status).toBe(200);
  for (const lesson of lessons.body.lessons) {
    const done = await api("POST", `/api/progress/lessons/${lesson.id}`, {
      token: learner.token,
      body: { event: "completed" },
    });
    expect(done.status).toBe(200);
  }
}

export interface DeliveryRow {
  readonly channel: string;
  readonly status: string;
  readonly attempts: number;
  readonly last_error: string | null;
}

/** This person's deliveries of one template, by channel (email, push, in_app), as the log has them now. */
export async function deliveriesOf(userId: string, template: string): Promise<DeliveryRow[]> {
  const { rows } = await db.query<DeliveryRow>(
    "select channel, status, attempts, last_error from notifications.deliveries where user_id = $1 and template = $2 order by channel, created_at",
    [userId, template],
  );
  return rows;
}

/**
 * Waits until this person has `count` deliveries of the template and none is pending: what the consumer wrote for
 * them has been tried. Returns them.
 */
export async function settledDeliveries(userId: string, template: string, count: number): Promise<DeliveryRow[]> {
  await expect
    .poll(
      async () => {
        const rows = await deliveriesOf(userId, template);
        return rows.length === count && rows.every((row) => row.status !== "pending");
      },
      { ...ASYNC_EFFECTS, message: `${count} settled ${template} deliveries for ${userId}` },
    )
    .toBe(true);
  return deliveriesOf(userId, template);
}

/**
 * A new learner whose registration mail is done with (the welcome, by mail and in-app, and the address's
 * verification mail): a refusal or a count a test sets up next is about what it does next, not about these.
 */
export async function settledLearner(tag: string): Promise<Addressable> {
  const learner = await newLearner(tag);
  await settledDeliveries(learner.userId, "welcome", 2);
  await settledDeliveries(learner.userId, "verify-email", 1);
  return learner;
}
