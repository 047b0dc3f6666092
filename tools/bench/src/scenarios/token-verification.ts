import { DEMO_PASSWORD, DEMO_USERS } from "@platform/dev-stack";
import { measureInterleaved, warmUp, type Target } from "../load.ts";
import { CONNECTIONS, type Scenario } from "../scenario.ts";

const NAME = "token-verification";
/** Answered 404 by the courses worker without the database: the only difference is the bearer check. */
const PATH = "/api/courses/bench/not-found";
/**
 * A signed-in user is rate-limited by user id (600 requests a minute), whatever address they
 * use, so one token cannot be loaded at 50 req/s: 8 req/s keeps a full run (and no warm-up with
 * the token) under that limit. The anonymous route warms the gateway for both.
 */
const RATE = 8;

async function accessToken(baseUrl: string): Promise<string> {
  const learner = DEMO_USERS[2];
  const response = await fetch(new URL("/api/auth/login", baseUrl), {
    method: "POST",
    headers: { "content-type": "application/json", "cf-connecting-ip": "198.19.255.1" },
    body: JSON.stringify({ email: learner.email, password: DEMO_PASSWORD }),
  });
  const body = (await response.json()) as { accessToken?: string };
  if (!response.ok || !body.accessToken) throw new Error(`bench login answered ${response.status}`);
  return body.accessToken;
}

export const tokenVerification: Scenario = {
  name: NAME,
  description:
    `GET ${PATH} through the gateway at ${RATE} req/s, with and without a valid bearer token (the demo ` +
    "learner's), rounds alternating: the p50 difference is what verifying an EdDSA access token (JWKS cached, " +
    "signature, iss/aud/exp, kid) adds per request at the gateway, under wrangler dev.",
  async run({ platform, durations, say }) {
    const baseUrl = await platform.gatewayUrl();
    const token = await accessToken(baseUrl);
    const base = { baseUrl, path: PATH, route: "gateway" as const, expectedStatuses: [404] };
    const anonymous: Target = { ...base, id: `${NAME}/anonymous/${RATE}rps`, variant: "no token" };
    const bearer: Target = {
      ...base,
      id: `${NAME}/bearer/${RATE}rps`,
      variant: "valid bearer token",
      headers: { authorization: `Bearer ${token}` },
    };
    await warmUp(anonymous, durations.warmUpSeconds);
    return await measureInterleaved(
      NAME,
      [bearer, anonymous],
      { rate: RATE, connections: CONNECTIONS, schedule: durations.fixedRate },
      say,
    );
  },
};
