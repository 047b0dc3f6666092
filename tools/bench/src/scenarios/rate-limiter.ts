import { readFileSync } from "node:fs";
import { GATEWAY_CONFIG } from "@platform/dev-stack";
import { summarizeLatency } from "../latency.ts";
import type { RateLimitMeasurement } from "../measurements.ts";
import { QUICK, type Scenario } from "../scenario.ts";

const NAME = "rate-limiter";
const METHOD = "POST";
const PATH = "/api/auth/login";
/** The flooding client asks for this many times the limit. */
const FLOOD_FACTOR = 10;
/** The well-behaved client asks for this share of the limit. */
const NORMAL_SHARE = 0.5;
const TOLERANCE = 0.1;
const TIMEOUT_MS = 10_000;
/** Client addresses from TEST-NET-3 (RFC 5737): the gateway counts each one apart. */
const ADDRESSES = { setup: "203.0.113.30", flooding: "203.0.113.10", normal: "203.0.113.20" } as const;
const PASSWORD = "a bench passphrase nobody guesses";

/**
 * The sign-in limit the bench's stack runs with: the committed gateway config's, since the bench
 * starts the platform with the production vars.
 */
function committedSignInLimit(): { limit: number; windowSeconds: number } {
  const config = readFileSync(GATEWAY_CONFIG, "utf8");
  const read = (name: string) => {
    const value = new RegExp(`^${name}\\s*=\\s*"(\\d+)"`, "m").exec(config)?.[1];
    if (!value) throw new Error(`${name} is not set in ${GATEWAY_CONFIG}.`);
    return Number(value);
  };
  return { limit: read("LOGIN_RATE_LIMIT"), windowSeconds: read("LOGIN_RATE_WINDOW_SECONDS") };
}

interface ClientRun {
  readonly statusCounts: Record<string, number>;
  readonly latencies: { readonly admitted: number[]; readonly refused: number[] };
  transportErrors: number;
}

/**
 * Sends `total` sign-ins from one address, evenly spaced, open loop (each is sent when due,
 * answered or not); latency counts from when it was due.
 */
async function pacedSignIns(
  baseUrl: string,
  address: string,
  body: string,
  total: number,
  intervalMs: number,
): Promise<ClientRun> {
  const run: ClientRun = { statusCounts: {}, latencies: { admitted: [], refused: [] }, transportErrors: 0 };
  const start = performance.now();
  const one = async (index: number) => {
    const dueAt = start + index * intervalMs;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, dueAt - performance.now())));
    try {
      const response = await fetch(new URL(PATH, baseUrl), {
        method: METHOD,
        headers: { "content-type": "application/json", "cf-connecting-ip": address },
        body,
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      await response.arrayBuffer();
      const status = String(response.status);
      run.statusCounts[status] = (run.statusCounts[status] ?? 0) + 1;
      if (response.status === 200) run.latencies.admitted.push(performance.now() - dueAt);
      if (response.status === 429) run.latencies.refused.push(performance.now() - dueAt);
    } catch {
      run.transportErrors++;
    }
  };
  await Promise.all(Array.from({ length: total }, (_, index) => one(index)));
  return run;
}

function measurement(
  client: string,
  run: ClientRun,
  plan: { limit: number; windowSeconds: number; windows: number; sentPerWindow: number; expectedPerWindow: number },
): RateLimitMeasurement {
  const admitted = run.statusCounts["200"] ?? 0;
  const admittedPerWindow = admitted / plan.windows;
  return {
    kind: "rate-limit",
    scenario: NAME,
    client,
    method: METHOD,
    path: PATH,
    limit: plan.limit,
    windowSeconds: plan.windowSeconds,
    windows: plan.windows,
    sentPerWindow: plan.sentPerWindow,
    sent: plan.sentPerWindow * plan.windows,
    admitted,
    refused: run.statusCounts["429"] ?? 0,
    statusCounts: run.statusCounts,
    transportErrors: run.transportErrors,
    expectedPerWindow: plan.expectedPerWindow,
    admittedPerWindow,
    deviation: admittedPerWindow / plan.expectedPerWindow - 1,
    tolerance: TOLERANCE,
    latencyMs: {
      admitted: summarizeLatency(Float64Array.from(run.latencies.admitted)),
      refused: summarizeLatency(Float64Array.from(run.latencies.refused)),
    },
  };
}

async function registerBenchAccount(baseUrl: string): Promise<string> {
  const email = `bench-rate-limiter-${Date.now()}@example.com`;
  const response = await fetch(new URL("/api/auth/register", baseUrl), {
    method: "POST",
    headers: { "content-type": "application/json", "cf-connecting-ip": ADDRESSES.setup },
    body: JSON.stringify({ email, password: PASSWORD, name: "Bench" }),
  });
  if (response.status !== 201)
    throw new Error(`Registering the bench account answered ${response.status}: ${await response.text()}`);
  return email;
}

export const rateLimiter: Scenario = {
  name: NAME,
  description:
    `${METHOD} ${PATH} with good credentials from two clients at once, each from its own address, for whole ` +
    `windows of the gateway's per-client sign-in limit (as committed in wrangler.toml): one at ${FLOOD_FACTOR}× ` +
    `the limit, whose admitted rate should stay within ±${TOLERANCE * 100} % of it, and one at ` +
    `${NORMAL_SHARE * 100} % of it, which should be let through every time.`,
  async run({ platform, durations, say }) {
    const baseUrl = await platform.gatewayUrl();
    const { limit, windowSeconds } = committedSignInLimit();
    // Whole windows, so that a client above the limit should get exactly `limit` through each.
    const windows = durations === QUICK ? 1 : 3;
    const windowMs = windowSeconds * 1000;
    const body = JSON.stringify({ email: await registerBenchAccount(baseUrl), password: PASSWORD });

    const flooding = { sentPerWindow: limit * FLOOD_FACTOR, expectedPerWindow: limit };
    const normalPerWindow = Math.max(1, Math.floor(limit * NORMAL_SHARE));
    const normal = { sentPerWindow: normalPerWindow, expectedPerWindow: normalPerWindow };
    say(
      `${NAME}: ${flooding.sentPerWindow} and ${normal.sentPerWindow} sign-ins per ${windowSeconds} s window against a ` +
        `limit of ${limit}, for ${windows} window${windows === 1 ? "" : "s"} (${windows * windowSeconds} s) …`,
    );
    const [floodRun, normalRun] = await Promise.all([
      pacedSignIns(
        baseUrl,
        ADDRESSES.flooding,
        body,
        flooding.sentPerWindow * windows,
        windowMs / flooding.sentPerWindow,
      ),
      pacedSignIns(baseUrl, ADDRESSES.normal, body, normal.sentPerWindow * windows, windowMs / normal.sentPerWindow),
    ]);
    const shared = { limit, windowSeconds, windows };
    const results = [
      measurement(`flooding (${FLOOD_FACTOR}× the limit)`, floodRun, { ...shared, ...flooding }),
      measurement(`normal (${NORMAL_SHARE * 100} % of the limit)`, normalRun, { ...shared, ...normal }),
    ];
    for (const m of results) {
      say(
        `${NAME}: ${m.client}: ${m.admitted} of ${m.sent} admitted, ${m.admittedPerWindow.toFixed(1)} per window (expected ${m.expectedPerWindow}).`,
      );
    }
    return results;
  },
};
