import { afterAll, describe, expect, it, vi } from "vitest";
import { api, gatewayUrl, newClientAddress, uniqueEmail, type TokenPair } from "../support/api.ts";
import { db } from "../support/database.ts";
import { ASYNC_EFFECTS } from "../support/polling.ts";
import { logRecord, stackLogFiles } from "../support/trace-log.ts";

/**
 * What the platform's logs never hold (docs/observability.md#redaction): passwords, tokens (bearer,
 * refresh, mailed links' `?token=`), cookies, card data. The test sends each to the running stack
 * where a careless log line would catch it (a sign-up, a sign-in, an authenticated read, a refresh,
 * a cookie, a payment body, a Stripe-shaped webhook, link tokens in query strings and bodies), then
 * reads every log file the stack wrote (every worker's lines, wrangler's, PostgreSQL's) for them.
 */
afterAll(async () => {
  await db.end();
});

const unique = () => crypto.randomUUID().replaceAll("-", "");
/** Written as is, JSON-escaped, or URL-encoded: any of them in a log is a leak. */
const formsOf = (value: string) => [value, JSON.stringify(value).slice(1, -1), encodeURIComponent(value)];

describe("the stack's logs", () => {
  it("never hold a password, a token, a cookie or a card number that requests carried", async () => {
    const correlationId = `redaction-${unique()}`;
    const headers = { "x-correlation-id": correlationId };
    const password = `pw-${unique()} correct horse`;
    const wrongPassword = `wrong-${unique()}`;
    const card = "4242424242424242";
    const spacedCard = "4000 0566 5566 5556";
    const cvc = "737";
    const linkToken = `link-${unique()}`;
    const unsubscribeToken = `unsub-${unique()}`;
    const forgedBearer = `eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.forged${unique()}`;
    const email = uniqueEmail("redaction");

    const registered = await api("POST", "/api/auth/register", {
      body: { email, password, name: "Red Action" },
      headers,
    });
    expect(registered.status).toBe(201);
    const client = { "cf-connecting-ip": newClientAddress(), ...headers };
    const login = await api<TokenPair>("POST", "/api/auth/login", { body: { email, password }, headers: client });
    expect(login.status).toBe(200);
    const { accessToken, refreshToken } = login.body;
    expect(accessToken.length).toBeGreaterThan(20);
    const refused = await api("POST", "/api/auth/login", { body: { email, password: wrongPassword }, headers: client });
    expect(refused.status).toBe(401);

    // A bearer token, good and forged; the refresh token in a body and in the site's cookie.
    // The profile is made from USER_CREATED, through the Queue: 404 until then.
    await vi.waitFor(
      async () => expect((await api("GET", "/api/users/me", { token: accessToken, headers })).status).toBe(200),
      ASYNC_EFFECTS,
    );
    expect((await api("GET", "/api/users/me", { token: forgedBearer, headers })).status).toBe(401);
    const cookie = { cookie: `__Host-el_refresh=${refreshToken}; __Host-el_access=${accessToken}` };
    await fetch(`${gatewayUrl}/api/courses`, { headers: { ...headers, ...cookie } }).then((r) => r.body?.cancel());
    await fetch(`${gatewayUrl}/account`, { headers: { ...headers, ...cookie }, redirect: "manual" }).then((r) =>
      r.body?.cancel(),
    );
    const refreshed = await api<TokenPair>("POST", "/api/auth/refresh", { body: { refreshToken }, headers });
    expect(refreshed.status).toBe(200);

    // Card data in request bodies: a purchase with fields nobody asked for, and a Stripe-shaped webhook.
    const purchase = await api("POST", `/api/payments/courses/${crypto.randomUUID()}`, {
      token: refreshed.body.accessToken,
      body: { card: { number: card, cvc, expiry: "12/34" }, cardNumber: spacedCard },
      headers: { ...headers, "idempotency-key": crypto.randomUUID() },
    });
    expect(purchase.status).toBeGreaterThanOrEqual(400);
    const webhook = await api("POST", "/api/payments/webhooks/stripe", {
      body: { type: "charge.succeeded", data: { object: { payment_method_details: { card: { number: card, cvc } } } } },
      headers: { ...headers, "stripe-signature": `t=1,v1=${unique()}` },
    });
    expect(webhook.status).toBeGreaterThanOrEqual(400);

    // Mailed links' tokens: in query strings (an unsubscribe link, a site page) and in a body.
    const unsubscribe = await fetch(`${gatewayUrl}/api/notifications/unsubscribe?token=${unsubscribeToken}`, {
      headers,
    });
    expect(unsubscribe.status).toBe(400);
    await unsubscribe.body?.cancel();
    await fetch(`${gatewayUrl}/account/verify-email?token=${linkToken}`, { headers, redirect: "manual" }).then((r) =>
      r.body?.cancel(),
    );
    const verify = await api("POST", "/api/auth/verify-email", { body: { token: linkToken }, headers });
    expect(verify.status).toBeGreaterThanOrEqual(400);
    const reset = await api("POST", "/api/auth/password-reset/confirm", {
      body: { token: linkToken, password: `${password} again` },
      headers,
    });
    expect(reset.status).toBeGreaterThanOrEqual(400);

    // The lines were written (so the search below reads the logs these requests made)…
    const me = await logRecord(
      "the users worker's line for GET /api/users/me",
      (record) =>
        record.service === "users" && record.correlationId === correlationId && record.route === "/api/users/me",
    );
    expect(me.userId).toBe(registered.body.id);
    await logRecord(
      "the gateway's line for the unsubscribe link",
      (record) =>
        record.service === "gateway" &&
        record.correlationId === correlationId &&
        record.path === "/api/notifications/unsubscribe",
    );
    // …give the last ones (the site's page, the consumers) a moment, then search every file.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const secrets: Record<string, string> = {
      password,
      "wrong password": wrongPassword,
      "the new password": `${password} again`,
      "access token": accessToken,
      "access token's signature": accessToken.split(".")[2] ?? accessToken,
      "refresh token": refreshToken,
      "refreshed access token": refreshed.body.accessToken,
      "refreshed refresh token": refreshed.body.refreshToken,
      "forged bearer": forgedBearer,
      "card number": card,
      "spaced card number": spacedCard,
      "link token": linkToken,
      "unsubscribe token": unsubscribeToken,
    };
    const files = stackLogFiles();
    expect(Object.keys(files).some((name) => name.startsWith("wrangler-"))).toBe(true);
    const leaks = Object.entries(files).flatMap(([file, text]) =>
      Object.entries(secrets).flatMap(([name, value]) =>
        formsOf(value).some((form) => text.includes(form)) ? [`${name} in ${file}`] : [],
      ),
    );
    expect(leaks).toEqual([]);
  });
});
