import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_COURSES, DEMO_PASSWORD, DEMO_USERS, freePort, startStack, type Stack } from "@platform/dev-stack";
import { GOOD_PASSWORD, newClientAddress, uniqueEmail } from "../../../test/support/api.ts";
import { ASYNC_EFFECTS } from "../../../test/support/polling.ts";
import type { Checkout, MyPayments, Plan, Refunded, Subscription, SubscriptionCheckout } from "./support/views.ts";

/**
 * The journey offline, as `npm start` runs it: a stack of its own with no Stripe key, so the
 * sandbox provider takes payments. Its checkout page pays or declines, and the outcome reaches
 * the worker as a Stripe-signed webhook through the same handler Stripe's events take.
 */

let stack: Stack;
let dataDir: string;
let database: pg.Pool;
const course = DEMO_COURSES.find((candidate) => candidate.price !== null);

async function call<T = Record<string, unknown>>(
  method: string,
  path: string,
  options: { token?: string; body?: unknown; form?: boolean } = {},
) {
  const response = await fetch(`${stack.gatewayUrl}${path}`, {
    method,
    redirect: "manual",
    headers: {
      "cf-connecting-ip": newClientAddress(),
      ...(options.token && { authorization: `Bearer ${options.token}` }),
      ...(options.body !== undefined && { "content-type": "application/json" }),
      ...(options.form && { "content-type": "application/x-www-form-urlencoded" }),
    },
    ...(options.body !== undefined && { body: JSON.stringify(options.body) }),
    ...(options.form && { body: "" }),
  });
  const text = await response.text();
  const json = response.headers.get("content-type")?.includes("json") && text ? (JSON.parse(text) as T) : undefined;
  return { status: response.status, headers: response.headers, text, body: json as T };
}

async function signIn(email: string, password: string): Promise<string> {
  const login = await call<{ accessToken: string }>("POST", "/api/auth/login", { body: { email, password } });
  if (login.status !== 200) throw new Error(`login answered ${login.status}`);
  return login.body.accessToken;
}

async function newLearner(tag: string): Promise<string> {
  const email = uniqueEmail(tag);
  const registered = await call("POST", "/api/auth/register", { body: { email, password: GOOD_PASSWORD, name: tag } });
  if (registered.status !== 201) throw new Error(`register answered ${registered.status}`);
  return signIn(email, GOOD_PASSWORD);
}

const access = async (token: string) =>
  (await call<{ access: string }>("GET", `/api/courses/${course?.id}/lessons`, { token })).body.access;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "platform-sandbox-"));
  chmodSync(dataDir, 0o755); // PostgreSQL runs as its own user when we are root.
  stack = await startStack({
    gatewayPort: await freePort(),
    postgresPort: await freePort(),
    proxyPort: await freePort(),
    inspectorPort: await freePort(),
    dataDir,
    seed: true,
  });
  database = new pg.Pool({ connectionString: stack.databaseUrl });
});

afterAll(async () => {
  await database?.end();
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("the sandbox provider (no Stripe key)", () => {
  it("happy path: buy → the sandbox checkout page → Pay → signed webhook → COURSE_PURCHASED → lessons open", async () => {
    expect(course).toBeDefined();
    const token = await newLearner("sandbox-buyer");
    expect(await access(token)).toBe("preview");

    const bought = await call<Checkout>("POST", `/api/payments/courses/${course?.id}`, { token });
    expect(bought.status).toBe(201);
    const checkoutUrl = new URL(bought.body.checkoutUrl);
    expect(checkoutUrl.origin).toBe(stack.gatewayUrl);
    expect(checkoutUrl.pathname).toMatch(/^\/api\/payments\/sandbox\/checkout\/cs_test_[A-Za-z0-9]+$/);

    const page = await call("GET", checkoutUrl.pathname);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(page.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(page.text).toContain(course?.title);
    expect(page.text).toContain("€49.00");
    expect(page.text).toMatch(/<form method="post" action="[^"]+\/pay"><button[^>]*>Pay/);
    expect(page.text).toContain(">Decline</button>");
    expect(page.text).not.toMatch(/<script|https?:\/\/(?!127\.0\.0\.1)/);

    const paid = await call("POST", `${checkoutUrl.pathname}/pay`, { form: true });
    expect(paid.status).toBe(303);
    expect(paid.headers.get("location")).toBe(
      `${stack.gatewayUrl}/checkout/complete?payment=${bought.body.paymentId}&session_id=${checkoutUrl.pathname.split("/").at(-1)}`,
    );
    // The webhook was applied before the redirect: the purchase is paid, through the Stripe event path.
    const { rows } = await database.query<{ status: string; provider: string }>(
      "select status, provider from payments.payments where id = $1",
      [bought.body.paymentId],
    );
    expect(rows[0]).toEqual({ status: "paid", provider: "sandbox" });
    const events = await database.query<{ type: string }>(
      "select type from payments.stripe_events order by received_at",
    );
    expect(events.rows.map((row) => row.type)).toContain("checkout.session.completed");
    const purchased = await database.query<{ provider: string }>(
      "select envelope->'data'->>'provider' as provider from payments.outbox where type = 'COURSE_PURCHASED' and envelope->'data'->>'paymentId' = $1",
      [bought.body.paymentId],
    );
    expect(purchased.rows).toEqual([{ provider: "sandbox" }]);
    await expect
      .poll(async () => await access(token), { ...ASYNC_EFFECTS, message: "sandbox purchase to grant access" })
      .toBe("full");
    // Where the browser lands: the buyer's own return page (it needs their session), which finds the
    // access granted and links to the course.
    const landing = await fetch(paid.headers.get("location") ?? "", {
      headers: { cookie: `__Host-el_access=${token}` },
    });
    expect(landing.status).toBe(200);
    const landed = await landing.text();
    expect(landed).toContain('data-checkout-state="open"');
    expect(landed).toContain(`/courses/${course?.slug}`);
    const signedOut = await fetch(paid.headers.get("location") ?? "", { redirect: "manual" });
    expect(signedOut.status).toBe(303);
    expect(signedOut.headers.get("location")).toMatch(/^\/signin\?returnTo=%2Fcheckout%2Fcomplete/);

    // The checkout is closed now: paying again is refused and the page says so.
    expect((await call("POST", `${checkoutUrl.pathname}/pay`, { form: true })).status).toBe(409);
    expect((await call("GET", checkoutUrl.pathname)).text).toContain("This checkout is closed");

    // The sandbox refunds too, and the refund takes the access away.
    const refunded = await call<Refunded>("POST", `/api/payments/${bought.body.paymentId}/refund`, { token });
    expect(refunded.status).toBe(200);
    expect(refunded.body.payment.status).toBe("refunded");
    await expect
      .poll(async () => await access(token), { ...ASYNC_EFFECTS, message: "sandbox refund to revoke access" })
      .toBe("preview");
  });

  it("Decline fails the payment: no access, and a new checkout can be opened", async () => {
    const token = await newLearner("sandbox-decliner");
    const bought = await call<Checkout>("POST", `/api/payments/courses/${course?.id}`, { token });
    const path = new URL(bought.body.checkoutUrl).pathname;
    const declined = await call("POST", `${path}/decline`, { form: true });
    expect(declined.status).toBe(303);
    expect(declined.headers.get("location")).toBe(
      `${stack.gatewayUrl}/checkout/canceled?payment=${bought.body.paymentId}`,
    );
    expect(await (await fetch(declined.headers.get("location") ?? "")).text()).toContain("Nothing was charged");
    const mine = await call<MyPayments>("GET", "/api/payments/me", { token });
    expect(mine.body.items[0]).toMatchObject({ id: bought.body.paymentId, status: "failed", provider: "sandbox" });
    const outbox = await database.query("select 1 from payments.outbox where envelope->'data'->>'paymentId' = $1", [
      bought.body.paymentId,
    ]);
    expect(outbox.rows).toHaveLength(0);
    expect(await access(token)).toBe("preview");
    expect((await call("POST", `/api/payments/courses/${course?.id}`, { token })).status).toBe(201);
  });

  it("a sandbox subscription opens every course; a forged webhook is refused even here", async () => {
    const adminToken = await signIn(DEMO_USERS[0].email, DEMO_PASSWORD);
    const plan = await call<Plan>("POST", "/api/payments/plans", {
      token: adminToken,
      body: { name: "Sandbox monthly", interval: "month", price: { amountMinor: 900, currency: "EUR" } },
    });
    expect(plan.status).toBe(201);
    const token = await newLearner("sandbox-subscriber");
    const opened = await call<SubscriptionCheckout>("POST", "/api/payments/subscriptions", {
      token,
      body: { planId: plan.body.id },
    });
    expect(opened.status).toBe(201);
    const path = new URL(opened.body.checkoutUrl).pathname;
    expect((await call("GET", path)).text).toContain("€9.00 a month");
    expect((await call("POST", `${path}/pay`, { form: true })).status).toBe(303);
    // This learner has bought nothing else: the one item is the subscription.
    const mine = await call<{ items: Subscription[] }>("GET", "/api/payments/me", { token });
    expect(mine.body.items[0]).toMatchObject({ id: opened.body.subscriptionId, status: "active" });
    expect(new Date(mine.body.items[0]?.currentPeriodEnd ?? 0).getTime()).toBeGreaterThan(Date.now() + 27 * 86_400_000);
    await expect
      .poll(async () => await access(token), { ...ASYNC_EFFECTS, message: "subscription access in the sandbox" })
      .toBe("full");

    const forged = await fetch(`${stack.gatewayUrl}/api/payments/webhooks/stripe`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "stripe-signature": `t=${Math.floor(Date.now() / 1000)},v1=${"0".repeat(64)}`,
      },
      body: JSON.stringify({
        id: "evt_forged",
        object: "event",
        type: "checkout.session.completed",
        data: { object: {} },
      }),
    });
    expect(forged.status).toBe(400);
  });
});
