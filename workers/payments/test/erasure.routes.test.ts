import pg from "pg";
import Stripe from "stripe";
import { v7 as uuidv7 } from "uuid";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "@platform/db";
import { startStripeStandIn, type StripeStandIn } from "@platform/stripe-stand-in";
import { databaseBindings, principal } from "../../../test/support/in-process.ts";
import * as schema from "../src/db/schema.ts";
import { eraseBuyer } from "../src/erasure.ts";
import { resolveMismatch } from "../src/mismatch-resolution.ts";
import { runProviderErasures } from "../src/provider-erasure.ts";
import { stripeProvider } from "../src/provider/stripe.ts";
import { applyPurchaseFact } from "../src/purchase-state.ts";
import { applySubscriptionFact } from "../src/subscription-state.ts";

/**
 * USER_DELETED in the payments service against the real schema (the consumer's own steps:
 * eraseBuyer in a transaction, then runProviderErasures), with the Stripe stand-in behind the real
 * Stripe provider. The same on the whole stack, through DELETE /api/users/me, is in
 * stripe-erasure.platform.test.ts.
 */
const pool = new pg.Pool({ connectionString: databaseBindings().DATABASE_URL });
const database = openDatabase(databaseBindings(), schema);
const KEY = "sk_test_erasure_routes";
let standIn: StripeStandIn;
let stripe: Stripe;
let planId: string;

beforeAll(async () => {
  standIn = await startStripeStandIn({ secretKey: KEY, webhookSecret: "whsec_erasure_routes" });
  const base = new URL(standIn.url);
  stripe = new Stripe(KEY, { host: base.hostname, port: base.port, protocol: "http" });
  planId = uuidv7();
  await pool.query(
    "insert into payments.plans (id, name, interval, amount_minor, currency) values ($1, 'Monthly', 'month', 900, 'EUR')",
    [planId],
  );
});

afterAll(async () => {
  await standIn.stop();
  await database.close();
  await pool.end();
});

const erase = (userId: string) => database.db.transaction((tx) => eraseBuyer(tx, userId));
const cause = (what: string) => ({ what, stripeEventId: `evt_${uuidv7()}`, correlationId: uuidv7() });
const unique = (prefix: string) => `${prefix}_${uuidv7().replaceAll("-", "")}`;

async function purchase(
  userId: string,
  values: { status?: string; provider?: string; paymentIntentId?: string; chargeId?: string } = {},
) {
  const id = uuidv7();
  const session = unique("cs_test");
  await pool.query(
    `insert into payments.payments (id, user_id, course_id, description, amount_minor, currency, provider, status,
       idempotency_key, checkout_session_id, checkout_url, payment_intent_id, charge_id)
     values ($1, $2, $3, 'A course', 2900, 'EUR', $4, $5, $6, $7, 'https://checkout.example.test/pay', $8, $9)`,
    [
      id,
      userId,
      uuidv7(),
      values.provider ?? "stripe",
      values.status ?? "pending",
      `key-${id}`,
      session,
      values.paymentIntentId ?? null,
      values.chargeId ?? null,
    ],
  );
  return { id, session };
}

async function subscription(
  userId: string,
  values: { lifecycle: string; stripeSubscriptionId?: string; stripeCustomerId?: string },
) {
  const id = uuidv7();
  const session = unique("cs_test");
  await pool.query(
    `insert into payments.subscriptions (id, user_id, plan_id, description, interval, amount_minor, currency, provider,
       lifecycle, checkout_session_id, stripe_subscription_id, stripe_customer_id)
     values ($1, $2, $3, 'All access', 'month', 900, 'EUR', 'stripe', $4, $5, $6, $7)`,
    [
      id,
      userId,
      planId,
      values.lifecycle,
      session,
      values.stripeSubscriptionId ?? null,
      values.stripeCustomerId ?? null,
    ],
  );
  return { id, session };
}

/** Rows in every payments table whose text holds the id (the outbox aside: delivered rows are pruned on a schedule). */
async function rowsNaming(userId: string): Promise<Record<string, number>> {
  const { rows: tables } = await pool.query<{ table_name: string }>(
    "select table_name from information_schema.tables where table_schema = 'payments' and table_type = 'BASE TABLE' and table_name not in ('outbox', '__drizzle_migrations')",
  );
  const found: Record<string, number> = {};
  for (const { table_name: table } of tables) {
    const { rows } = await pool.query<{ count: string }>(
      `select count(*) from payments."${table}" t where t::text like '%' || $1 || '%'`,
      [userId],
    );
    if (Number(rows[0]?.count) > 0) found[table] = Number(rows[0]?.count);
  }
  return found;
}

const tasksFor = async (...stripeIds: string[]) =>
  (
    await pool.query<{ kind: string; stripe_id: string; done: boolean; attempts: number; last_error: string | null }>(
      "select kind, stripe_id, done_at is not null as done, attempts, last_error from payments.provider_erasures where stripe_id = any($1) order by kind, stripe_id",
      [stripeIds],
    )
  ).rows;

describe("erasure in the payments schema", () => {
  it("erasure scrubs the buyer's id from refused_fact as well as differences", async () => {
    const userId = uuidv7();
    const { id: paymentId, session } = await purchase(userId);
    // A completion at another amount, naming the buyer: refused, and kept with its details.
    const outcome = await database.db.transaction((tx) =>
      applyPurchaseFact(
        tx,
        paymentId,
        { kind: "completed", settled: true },
        { checkoutSessionId: session, amountMinor: 100, currency: "EUR", buyerId: uuidv7() },
        cause("checkout.session.completed"),
      ),
    );
    expect(outcome).toBe("refused");
    await pool.query(
      "update payments.event_mismatches set refused_fact = jsonb_set(refused_fact, '{details,buyerId}', to_jsonb($2::text)) where payment_id = $1",
      [paymentId, userId],
    );
    const naming =
      "select count(*)::int as n from payments.event_mismatches where refused_fact::text like '%' || $1 || '%'";
    expect((await pool.query(naming, [userId])).rows[0].n, "the refused fact names the buyer before").toBe(1);

    await erase(userId);
    expect((await pool.query(naming, [userId])).rows[0].n).toBe(0);
    const { rows } = await pool.query(
      "select refused_fact -> 'details' ->> 'buyerId' as buyer, refused_fact -> 'details' ->> 'amountMinor' as amount from payments.event_mismatches where payment_id = $1",
      [paymentId],
    );
    expect(rows).toEqual([{ buyer: expect.not.stringMatching(userId), amount: "100" }]);
    expect(await rowsNaming(userId)).toEqual({});
  });

  it("erasure queues Stripe work and names nobody", async () => {
    const userId = uuidv7();
    const pending = await purchase(userId);
    const intent = unique("pi");
    const charge = unique("ch");
    await purchase(userId, { status: "paid", paymentIntentId: intent, chargeId: charge });
    const sandbox = await purchase(userId, { provider: "sandbox" });
    const stripeSubscription = unique("sub");
    const customer = unique("cus");
    await subscription(userId, {
      lifecycle: "active",
      stripeSubscriptionId: stripeSubscription,
      stripeCustomerId: customer,
    });
    const openSubscription = await subscription(userId, { lifecycle: "incomplete" });

    await erase(userId);
    expect(
      await tasksFor(
        pending.session,
        sandbox.session,
        openSubscription.session,
        intent,
        charge,
        stripeSubscription,
        customer,
      ),
    ).toEqual(
      [
        { kind: "expire_checkout", stripe_id: pending.session },
        { kind: "expire_checkout", stripe_id: openSubscription.session },
        { kind: "cancel_subscription", stripe_id: stripeSubscription },
        { kind: "delete_customer", stripe_id: customer },
        { kind: "unset_metadata", stripe_id: charge },
        { kind: "unset_metadata", stripe_id: intent },
        { kind: "unset_metadata", stripe_id: stripeSubscription },
      ]
        .map((task) => ({ ...task, done: false, attempts: 0, last_error: null }))
        .sort((a, b) => kindOrder(a.kind) - kindOrder(b.kind) || a.stripe_id.localeCompare(b.stripe_id)),
    );
    expect(await rowsNaming(userId)).toEqual({});
    const { rows } = await pool.query(
      "select count(*)::int as n from payments.payments where user_id <> $1 and erased_at is not null and checkout_url is null and idempotency_key is null and id = any($2)",
      [userId, [pending.id, sandbox.id]],
    );
    expect(rows[0].n).toBe(2);
  });

  it("runs the tasks at Stripe after the commit: done once, already-done counts as done, a retryable failure stays open and throws", async () => {
    const provider = stripeProvider({ secretKey: KEY, apiBase: standIn.url });
    // The tasks earlier tests queued name objects the stand-in never had: resource_missing, so done.
    await runProviderErasures(database.db, provider, { limit: 500 });
    const userId = uuidv7();
    // At Stripe: an open course checkout, and a running subscription with its customer.
    const open = await stripe.checkout.sessions.create({
      mode: "payment",
      line_items: [{ quantity: 1, price_data: { currency: "eur", unit_amount: 2900, product_data: { name: "C" } } }],
      success_url: "https://learn.example.test/done",
    });
    const subscribed = await stripe.checkout.sessions.create({
      mode: "subscription",
      line_items: [
        {
          quantity: 1,
          price_data: {
            currency: "eur",
            unit_amount: 900,
            recurring: { interval: "month" },
            product_data: { name: "P" },
          },
        },
      ],
      subscription_data: { metadata: { userId } },
      success_url: "https://learn.example.test/done",
    });
    standIn.state.completeSession(subscribed.id, "paid", { email: "erased@example.test" });
    const { customer, subscription: stripeSubscription } = await stripe.checkout.sessions.retrieve(subscribed.id);
    await pool.query("update payments.payments set checkout_session_id = $2 where id = $1", [
      (await purchase(userId)).id,
      open.id,
    ]);
    await subscription(userId, {
      lifecycle: "active",
      stripeSubscriptionId: String(stripeSubscription),
      stripeCustomerId: String(customer),
    });
    await erase(userId);

    // Stripe unreachable: every task stays open with its error, and the run throws so the event is retried.
    const unreachable = stripeProvider({ secretKey: KEY, apiBase: "http://127.0.0.1:9" });
    await expect(runProviderErasures(database.db, unreachable, { limit: 500 })).rejects.toMatchObject({
      name: "ProviderError",
      retryable: true,
    });
    const mine = [open.id, String(stripeSubscription), String(customer)];
    for (const task of await tasksFor(...mine)) {
      expect(task).toMatchObject({
        done: false,
        attempts: 1,
        last_error: expect.stringContaining("connection to Stripe"),
      });
      expect(task.last_error).not.toContain(userId);
    }

    // Already done at Stripe before the run (a customer deleted in the dashboard): counts as done.
    const other = await stripe.customers.del(String(customer));
    expect(other.deleted).toBe(true);
    await runProviderErasures(database.db, provider, { limit: 500 });
    expect((await tasksFor(...mine)).every((task) => task.done)).toBe(true);
    expect(await stripe.checkout.sessions.retrieve(open.id)).toMatchObject({ status: "expired" });
    expect(await stripe.subscriptions.retrieve(String(stripeSubscription))).toMatchObject({
      status: "canceled",
      metadata: {},
    });
    // Done tasks are not run again.
    const before = standIn.state.events.length;
    expect(await runProviderErasures(database.db, provider, { limit: 500 })).toEqual({ done: 0, failed: 0 });
    expect(standIn.state.events.length).toBe(before);
  });

  it("a refusal that cannot pass on a retry stays open with its error, and does not hold the others", async () => {
    const provider = stripeProvider({ secretKey: KEY, apiBase: standIn.url });
    const bad = unique("xx");
    await pool.query("insert into payments.provider_erasures (id, kind, stripe_id) values ($1, 'unset_metadata', $2)", [
      uuidv7(),
      bad,
    ]);
    const result = await runProviderErasures(database.db, provider, { limit: 500 });
    expect(result.failed).toBeGreaterThanOrEqual(1);
    expect(await tasksFor(bad)).toEqual([
      { kind: "unset_metadata", stripe_id: bad, done: false, attempts: 1, last_error: expect.stringContaining(bad) },
    ]);
  });
});

describe("late Stripe events about an erased buyer", () => {
  it("a completion is refused and recorded without the real id; a refund is applied and records nothing", async () => {
    const userId = uuidv7();
    const late = await purchase(userId);
    const paid = await purchase(userId, { status: "paid", paymentIntentId: unique("pi") });
    await erase(userId);

    const completed = await database.db.transaction((tx) =>
      applyPurchaseFact(
        tx,
        late.id,
        { kind: "completed", settled: true },
        { checkoutSessionId: late.session, amountMinor: 2900, currency: "EUR", buyerId: userId },
        cause("checkout.session.completed"),
      ),
    );
    expect(completed).toBe("refused");
    const { rows } = await pool.query(
      "select decision, differences, refused_fact -> 'details' as details from payments.event_mismatches where payment_id = $1",
      [late.id],
    );
    expect(rows).toEqual([
      {
        decision: "refused",
        differences: [{ field: "buyer", expected: null, received: "erased" }],
        details: { checkoutSessionId: late.session, amountMinor: 2900, currency: "EUR" },
      },
    ]);
    expect((await pool.query("select status from payments.payments where id = $1", [late.id])).rows).toEqual([
      { status: "pending" },
    ]);
    // Nobody to grant it to, even on an admin's word: accepting is refused, and nothing moves.
    const [mismatch] = (await pool.query("select id from payments.event_mismatches where payment_id = $1", [late.id]))
      .rows as Array<{ id: string }>;
    await expect(
      resolveMismatch(
        database.db,
        principal("admin"),
        String(mismatch?.id),
        { resolution: "accepted", note: "genuine" },
        uuidv7(),
      ),
    ).rejects.toMatchObject({ status: 409 });
    expect(
      (
        await pool.query(
          "select status, (select resolution from payments.event_mismatches where payment_id = $1) from payments.payments where id = $1",
          [late.id],
        )
      ).rows,
    ).toEqual([{ status: "pending", resolution: null }]);

    const refunded = await database.db.transaction((tx) =>
      applyPurchaseFact(
        tx,
        paid.id,
        { kind: "refunded" },
        { amountMinor: 2900, currency: "EUR", buyerId: userId },
        cause("charge.refunded"),
      ),
    );
    expect(refunded).toBe("applied");
    expect((await pool.query("select status from payments.payments where id = $1", [paid.id])).rows).toEqual([
      { status: "refunded" },
    ]);
    expect(
      (await pool.query("select 1 from payments.event_mismatches where payment_id = $1", [paid.id])).rowCount,
    ).toBe(0);
    expect(await rowsNaming(userId)).toEqual({});
  });

  it("a renewal of an erased subscription grants nothing and queues ending it at Stripe", async () => {
    const userId = uuidv7();
    const { id } = await subscription(userId, { lifecycle: "incomplete" });
    await erase(userId);
    const stripeSubscription = unique("sub");
    const customer = unique("cus");
    const outcome = await database.db.transaction((tx) =>
      applySubscriptionFact(
        tx,
        id,
        {
          kind: "invoice",
          invoiceId: unique("in"),
          created: Date.now(),
          paid: true,
          periodEnd: Date.now() + 86_400_000,
        },
        {
          amountMinor: 900,
          currency: "EUR",
          buyerId: userId,
          stripeSubscriptionId: stripeSubscription,
          stripeCustomerId: customer,
        },
        cause("invoice.paid"),
      ),
    );
    expect(outcome).toBe("refused");
    expect((await pool.query("select lifecycle from payments.subscriptions where id = $1", [id])).rows).toEqual([
      { lifecycle: "incomplete" },
    ]);
    expect((await tasksFor(stripeSubscription, customer)).map((task) => [task.kind, task.stripe_id])).toEqual([
      ["cancel_subscription", stripeSubscription],
      ["delete_customer", customer],
      ["unset_metadata", stripeSubscription],
    ]);
    expect(await rowsNaming(userId)).toEqual({});
  });
});

function kindOrder(kind: string): number {
  return ["expire_checkout", "cancel_subscription", "delete_customer", "unset_metadata"].indexOf(kind);
}
