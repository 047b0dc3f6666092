import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Stripe from "stripe";
import { DEMO_PASSWORD, DEMO_USERS, freePort, killGroupNow, startStack, type Stack } from "@platform/dev-stack";
import { startStripeStandIn, type StripeStandIn } from "@platform/stripe-stand-in";
import { CLIENT_ADDRESS_HEADER, nextClientAddress } from "../client-addresses.ts";
import { summarizeLatency } from "../latency.ts";
import type { LoadMeasurement, Route } from "../measurements.ts";
import type { Scenario } from "../scenario.ts";

/*
 * Payments benchmarks need the payments worker in Stripe mode, talking to the local Stripe
 * stand-in: a stack of their own (the shared bench stack has no Stripe key, so it runs the
 * sandbox). The helpers below are shared with scenarios/webhooks.ts.
 */

export interface PaymentsBench {
  readonly gatewayUrl: string;
  readonly standIn: StripeStandIn;
  readonly secretKey: string;
  readonly webhookSecret: string;
  stop(): Promise<void>;
}

/** A stack whose payments worker uses the Stripe stand-in, on free ports in a throw-away folder. */
export async function startPaymentsBench(say: (message: string) => void): Promise<PaymentsBench> {
  const secretKey = `sk_test_bench_${crypto.randomUUID().replaceAll("-", "")}`;
  const webhookSecret = `whsec_bench_${crypto.randomUUID().replaceAll("-", "")}`;
  // Stripe's webhooks come from many addresses; so do these, or the gateway's per-client limit would count them as one.
  const standIn = await startStripeStandIn({
    secretKey,
    webhookSecret,
    deliveryHeaders: () => ({ [CLIENT_ADDRESS_HEADER]: nextClientAddress() }),
  });
  const dataDir = mkdtempSync(join(tmpdir(), "platform-bench-payments-"));
  chmodSync(dataDir, 0o755); // PostgreSQL runs as its own user when we are root.
  let stack: Stack | undefined;
  // If the bench is interrupted, its exit must not leave this stack's workerd behind.
  const onExit = () => {
    if (stack) killGroupNow(stack.wranglerPid);
    rmSync(dataDir, { recursive: true, force: true });
  };
  process.once("exit", onExit);
  say("Starting a stack whose payments worker talks to the Stripe stand-in …");
  try {
    stack = await startStack({
      gatewayPort: await freePort(),
      postgresPort: await freePort(),
      proxyPort: await freePort(),
      inspectorPort: await freePort(),
      dataDir,
      seed: true,
      extraVars: {
        "platform-payments": {
          STRIPE_SECRET_KEY: secretKey,
          STRIPE_WEBHOOK_SECRET: webhookSecret,
          STRIPE_API_BASE: standIn.url,
        },
      },
      say: (message) => say(`  ${message}`),
    });
  } catch (error) {
    await standIn.stop();
    process.removeListener("exit", onExit);
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const running = stack;
  standIn.setWebhookUrl(`${running.gatewayUrl}/api/payments/webhooks/stripe`);
  return {
    gatewayUrl: running.gatewayUrl,
    standIn,
    secretKey,
    webhookSecret,
    stop: async () => {
      await running.stop();
      await standIn.stop();
      process.removeListener("exit", onExit);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A JSON call through the gateway, from an address of its own. */
export async function call<T>(
  baseUrl: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown } = {},
) {
  const response = await fetch(new URL(path, baseUrl), {
    method,
    headers: {
      [CLIENT_ADDRESS_HEADER]: nextClientAddress(),
      ...(options.token && { authorization: `Bearer ${options.token}` }),
      ...(options.body !== undefined && { "content-type": "application/json" }),
    },
    ...(options.body !== undefined && { body: JSON.stringify(options.body) }),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as T };
}

async function signIn(baseUrl: string, email: string, password: string): Promise<string> {
  const login = await call<{ accessToken: string }>(baseUrl, "POST", "/api/auth/login", { body: { email, password } });
  if (login.status !== 200) throw new Error(`sign-in answered ${login.status}`);
  return login.body.accessToken;
}

/**
 * Buyers and paid courses for benchmarks: every (buyer, course) pair can make one new purchase.
 * Courses are published by the demo instructor, each with one text lesson.
 */
export async function buyersAndCourses(
  baseUrl: string,
  counts: { buyers: number; courses: number },
  say: (message: string) => void,
): Promise<{ buyers: string[]; courses: string[] }> {
  say(`Publishing ${counts.courses} paid courses and registering ${counts.buyers} buyers …`);
  const author = await signIn(baseUrl, DEMO_USERS[1].email, DEMO_PASSWORD);
  const run = crypto.randomUUID().slice(0, 8);
  const courses = await inBatches(
    Array.from({ length: counts.courses }, (_, index) => index),
    5,
    async (index) => {
      const created = await call<{ id: string }>(baseUrl, "POST", "/api/courses", {
        token: author,
        body: {
          title: `Bench course ${index}`,
          slug: `bench-${run}-${index}`,
          summary: "Benchmarks.",
          language: "en",
          price: { amountMinor: 1000 + index, currency: "EUR" },
        },
      });
      if (created.status !== 201) throw new Error(`course creation answered ${created.status}`);
      const lesson = await call(baseUrl, "POST", `/api/courses/${created.body.id}/lessons`, {
        token: author,
        body: { title: "Only lesson", kind: "text", bodyMarkdown: "# Lesson", isPreview: false },
      });
      if (lesson.status !== 201) throw new Error(`lesson creation answered ${lesson.status}`);
      const published = await call(baseUrl, "POST", `/api/courses/${created.body.id}/publish`, { token: author });
      if (published.status !== 200) throw new Error(`publishing answered ${published.status}`);
      return created.body.id;
    },
  );
  const buyers = await inBatches(
    Array.from({ length: counts.buyers }, (_, index) => index),
    4,
    async (index) => {
      const email = `bench-buyer-${run}-${index}@example.com`;
      const password = "a perfectly fine bench passphrase";
      const registered = await call(baseUrl, "POST", "/api/auth/register", {
        body: { email, password, name: `Buyer ${index}` },
      });
      if (registered.status !== 201) throw new Error(`registration answered ${registered.status}`);
      return signIn(baseUrl, email, password);
    },
  );
  return { buyers, courses };
}

export async function inBatches<T, R>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index] as T);
      }
    }),
  );
  return results;
}

export interface TimedRequest {
  readonly method: "GET" | "POST";
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

/**
 * Sends a fixed list of requests (each can be made only once: a new purchase, a new event) with
 * `connections` in flight, timing each, and summarises them the way the load runs are.
 */
export async function measureRequests(
  row: { scenario: string; id: string; variant: string; route: Route; path: string; expectedStatuses: number[] },
  requests: readonly TimedRequest[],
  connections: number,
): Promise<LoadMeasurement> {
  const latencies: number[] = [];
  const statusCounts: Record<string, number> = {};
  let transportErrors = 0;
  const started = performance.now();
  await inBatches(requests, connections, async (request) => {
    const sent = performance.now();
    try {
      const response = await fetch(request.url, {
        method: request.method,
        headers: request.headers,
        ...(request.body !== undefined && { body: request.body }),
        signal: AbortSignal.timeout(30_000),
      });
      await response.arrayBuffer();
      latencies.push(performance.now() - sent);
      statusCounts[response.status] = (statusCounts[response.status] ?? 0) + 1;
    } catch {
      transportErrors += 1;
    }
  });
  const durationSeconds = (performance.now() - started) / 1000;
  const responses = latencies.length;
  const summary = summarizeLatency(Float64Array.from(latencies));
  const expected = new Set(row.expectedStatuses.map(String));
  return {
    kind: "load",
    scenario: row.scenario,
    id: row.id,
    route: row.route,
    variant: row.variant,
    method: requests[0]?.method ?? "POST",
    path: row.path,
    targetRate: null,
    connections,
    rounds: 1,
    durationSeconds,
    responses,
    requestsPerSecond: durationSeconds > 0 ? responses / durationSeconds : 0,
    latencyMs: summary,
    roundP50sMs: [summary.p50],
    expectedStatuses: row.expectedStatuses,
    statusCounts,
    transportErrors,
    unexpectedStatuses: Object.entries(statusCounts)
      .filter(([status]) => !expected.has(status))
      .reduce((sum, [, n]) => sum + n, 0),
  };
}

const NAME = "checkout";
const CONCURRENT = 10;

export const checkout: Scenario = {
  name: NAME,
  description:
    "POST /api/payments/courses/{id} through the gateway with the payments worker in Stripe mode against the local " +
    "Stripe stand-in (official SDK, fetch client): a new checkout per request (the courses RPC for price and access, " +
    `the payment row, the Checkout Session call with its idempotency key), one at a time and ${CONCURRENT} at once; ` +
    "the same buyer asking again (their open checkout returned, no Stripe call); and the stand-in's own Checkout " +
    "Session creation through the SDK, the share of the total that is not ours.",
  async run({ durations, say }) {
    const quick = durations.maxThroughput.secondsPerRound < 5;
    const sequential = quick ? 30 : 100;
    const concurrent = quick ? 60 : 200;
    const bench = await startPaymentsBench(say);
    try {
      const { buyers, courses } = await buyersAndCourses(
        bench.gatewayUrl,
        { buyers: quick ? 9 : 15, courses: quick ? 10 : 20 },
        say,
      );
      const pairs = buyers.flatMap((token) => courses.map((courseId) => ({ token, courseId })));
      const purchase = ({ token, courseId }: { token: string; courseId: string }): TimedRequest => ({
        method: "POST",
        url: new URL(`/api/payments/courses/${courseId}`, bench.gatewayUrl).href,
        headers: { authorization: `Bearer ${token}`, [CLIENT_ADDRESS_HEADER]: nextClientAddress() },
      });
      const path = "/api/payments/courses/{id}";
      const row = (
        id: string,
        variant: string,
        expectedStatuses: number[],
        route: Route = "gateway",
        rowPath = path,
      ) => ({
        scenario: NAME,
        id: `${NAME}/${id}`,
        variant,
        route,
        path: rowPath,
        expectedStatuses,
      });

      // Warm-up: the first requests against a fresh workerd compile code and open connections.
      await inBatches(pairs.slice(0, 10), 2, (pair) =>
        fetch(purchase(pair).url, { method: "POST", headers: purchase(pair).headers }),
      );
      const fresh = pairs.slice(10);
      say(`${NAME}: ${sequential} new checkouts, one at a time …`);
      const one = await measureRequests(
        row("new/1-connection", "new checkout, one at a time", [201]),
        fresh.slice(0, sequential).map(purchase),
        1,
      );
      say(`${NAME}: ${concurrent} new checkouts, ${CONCURRENT} at once …`);
      const many = await measureRequests(
        row(`new/${CONCURRENT}-connections`, `new checkout, ${CONCURRENT} at once`, [201]),
        fresh.slice(sequential, sequential + concurrent).map(purchase),
        CONCURRENT,
      );
      say(`${NAME}: the same buyers asking again …`);
      const again = await measureRequests(
        row("open-checkout-again", "open checkout returned again (no Stripe call)", [200]),
        fresh.slice(0, sequential).map(purchase),
        CONCURRENT,
      );

      say(`${NAME}: the stand-in alone, through the SDK …`);
      const base = new URL(bench.standIn.url);
      const stripe = new Stripe(bench.secretKey, {
        host: base.hostname,
        port: base.port,
        protocol: "http",
        httpClient: Stripe.createFetchHttpClient(),
      });
      const direct = await timeCalls(
        row(
          "stand-in/direct",
          "the stand-in's Checkout Session creation alone (SDK)",
          [200],
          "direct",
          "/v1/checkout/sessions",
        ),
        sequential,
        () =>
          stripe.checkout.sessions.create(
            {
              mode: "payment",
              line_items: [
                { quantity: 1, price_data: { currency: "eur", unit_amount: 1000, product_data: { name: "Bench" } } },
              ],
              success_url: "http://127.0.0.1/done",
              expires_at: Math.floor(Date.now() / 1000) + 3600,
            },
            { idempotencyKey: crypto.randomUUID() },
          ),
      );
      return [one, many, again, direct];
    } finally {
      await bench.stop();
    }
  },
};

async function timeCalls(
  row: Parameters<typeof measureRequests>[0],
  count: number,
  work: () => Promise<unknown>,
): Promise<LoadMeasurement> {
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  for (let index = 0; index < count; index += 1) {
    const sent = performance.now();
    try {
      await work();
      latencies.push(performance.now() - sent);
    } catch {
      errors += 1;
    }
  }
  const durationSeconds = (performance.now() - started) / 1000;
  const summary = summarizeLatency(Float64Array.from(latencies));
  return {
    kind: "load",
    scenario: row.scenario,
    id: row.id,
    route: row.route,
    variant: row.variant,
    method: "POST",
    path: row.path,
    targetRate: null,
    connections: 1,
    rounds: 1,
    durationSeconds,
    responses: latencies.length,
    requestsPerSecond: durationSeconds > 0 ? latencies.length / durationSeconds : 0,
    latencyMs: summary,
    roundP50sMs: [summary.p50],
    expectedStatuses: row.expectedStatuses,
    statusCounts: { "200": latencies.length },
    transportErrors: errors,
    unexpectedStatuses: 0,
  };
}
