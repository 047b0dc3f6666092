import { describe, expect, inject, it } from "vitest";
import { api, newClientAddress, registerAndLogin, type ApiResponse } from "../../../test/support/api.ts";

/**
 * Per-client rate limits at the gateway, on the real stack. The test stack keeps the production
 * limits with short windows (test/setup/platform.ts), so a window can be watched to its end.
 */
const vars = inject("gatewayVars");
const LOGIN_LIMIT = Number(vars.LOGIN_RATE_LIMIT);
const LOGIN_WINDOW_SECONDS = Number(vars.LOGIN_RATE_WINDOW_SECONDS);
const REGISTER_LIMIT = Number(vars.REGISTER_RATE_LIMIT);
/** The coarse limit's binding in the root wrangler.toml: 600 per 60 s window. */
const API_LIMIT = 600;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * An empty body: the auth worker refuses it with 400 at once (no password hashing, and nothing
 * for its own failed-login throttle to count), so a 429 here can only be the gateway's.
 */
const signInAttempt = (client: string, path = "/api/auth/login") =>
  api("POST", path, { body: {}, headers: { "cf-connecting-ip": client } });

function expectRateLimited(response: ApiResponse, windowSeconds: number): number {
  expect(response.status).toBe(429);
  expect(response.headers.get("content-type")).toBe("application/problem+json");
  expect(response.body).toMatchObject({ type: "/problems/too-many-requests", status: 429 });
  const retryAfter = Number(response.headers.get("retry-after"));
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(windowSeconds);
  return retryAfter;
}

describe("sign-in attempts, counted exactly per client", () => {
  it(`admits ${LOGIN_LIMIT} in a window, and refuses the next with 429 problem+json and Retry-After`, async () => {
    const client = newClientAddress();
    const statuses: number[] = [];
    for (let attempt = 0; attempt < LOGIN_LIMIT; attempt++) statuses.push((await signInAttempt(client)).status);
    expect(statuses).toEqual(Array(LOGIN_LIMIT).fill(400)); // every one reached the auth worker

    const refused = await signInAttempt(client);
    expectRateLimited(refused, LOGIN_WINDOW_SECONDS);
    expect(refused.body.detail).toMatch(/^Too many sign-in attempts from this client/);
  });

  it("holds back only that client: another address, and a signed-in user behind the same one, go on", async () => {
    const flooding = newClientAddress();
    for (let attempt = 0; attempt <= LOGIN_LIMIT; attempt++) await signInAttempt(flooding);
    expect((await signInAttempt(flooding)).status).toBe(429);

    expect((await signInAttempt(newClientAddress())).status).toBe(400);
    // A verified bearer token spends its user's budget, not the address's (one NAT, many people).
    const { tokens } = await registerAndLogin("behind-same-nat");
    const signedIn = await api("POST", "/api/auth/login", {
      body: {},
      token: tokens.accessToken,
      headers: { "cf-connecting-ip": flooding },
    });
    expect(signedIn.status).toBe(400);
  });

  it("admits the client again when Retry-After says, and gives it the whole limit once a window has passed", async () => {
    const client = newClientAddress();
    for (let attempt = 0; attempt < LOGIN_LIMIT; attempt++) await signInAttempt(client);
    const retryAfter = expectRateLimited(await signInAttempt(client), LOGIN_WINDOW_SECONDS);

    await sleep(retryAfter * 1000 + 250);
    expect((await signInAttempt(client)).status).toBe(400);

    // By now every request has left the window and the client's object has let go of its storage.
    await sleep(LOGIN_WINDOW_SECONDS * 1000 + 1500);
    const statuses: number[] = [];
    for (let attempt = 0; attempt <= LOGIN_LIMIT; attempt++) statuses.push((await signInAttempt(client)).status);
    expect(statuses).toEqual([...Array<number>(LOGIN_LIMIT).fill(400), 429]);
  });

  it("counts an encoded spelling of the path as the same route (the auth worker routes it as sign-in)", async () => {
    const client = newClientAddress();
    for (let attempt = 0; attempt < LOGIN_LIMIT; attempt++) await signInAttempt(client);
    const encoded = await signInAttempt(client, "/api/auth/%6cogin");
    expect(encoded.status).toBe(429);
    // And with room left, the same spelling does reach the auth worker's sign-in route.
    expect((await signInAttempt(newClientAddress(), "/api/auth/%6cogin")).status).toBe(400);
  });
});

describe("registrations, counted exactly per client", () => {
  it(`admits ${REGISTER_LIMIT} in a window, then 429 with Retry-After`, async () => {
    const client = newClientAddress();
    const attempt = () => api("POST", "/api/auth/register", { body: {}, headers: { "cf-connecting-ip": client } });
    for (let n = 0; n < REGISTER_LIMIT; n++) expect((await attempt()).status).toBe(400);
    const refused = await attempt();
    expectRateLimited(refused, Number(vars.REGISTER_RATE_WINDOW_SECONDS));
    expect(refused.body.detail).toMatch(/^Too many registrations from this client/);
    // Sign-in has its own budget.
    expect((await signInAttempt(client)).status).toBe(400);
  });
});

// A path no users route matches (`/api/users/{id}` takes one segment): the gateway forwards it and the
// worker answers 404, so every answer that is not the limiter's 429 is the same.
const PROBE = "/api/users/rate-limit-probe/none";

describe("every other API request, under the coarse per-client limit", () => {
  it("limits a signed-in user across every address they use, and nobody else", async () => {
    const { tokens } = await registerAndLogin("coarse");
    const request = () =>
      api("GET", PROBE, {
        token: tokens.accessToken,
        headers: { "cf-connecting-ip": newClientAddress() },
      });

    // The binding counts in fixed windows, so a burst that straddles a window's end may get up to
    // twice the limit through; it cannot get more, and stops at the first refusal.
    const statuses: number[] = [];
    let refused: ApiResponse | undefined;
    while (!refused && statuses.length < 2 * API_LIMIT + 50) {
      const batch = await Promise.all(Array.from({ length: 25 }, request));
      statuses.push(...batch.map((response) => response.status));
      refused = batch.find((response) => response.status === 429);
    }
    expect(refused, "no request was refused").toBeDefined();
    if (!refused) return;
    expect(statuses.filter((status) => status === 404).length).toBeGreaterThanOrEqual(API_LIMIT);
    expect(new Set(statuses)).toEqual(new Set([404, 429]));
    expectRateLimited(refused, 60);
    expect(refused.body.detail).toMatch(/^Too many requests from this client/);

    expect((await request()).status).toBe(429);
    expect((await api("GET", PROBE)).status).toBe(404);
  });
});
