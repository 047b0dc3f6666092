import { measureInterleaved, warmUp, type Target } from "../load.ts";
import { CONNECTIONS, type Scenario } from "../scenario.ts";

const NAME = "session-epoch-check";
/** Answered 404 by the courses worker without the database: the only difference is the bearer check. */
const PATH = "/api/courses/bench/not-found";
/** Kept under the per-user limit (600 a minute) for the one-user target, like token-verification. */
const RATE = 8;
/**
 * The gateway keeps a user's session epoch for 2 s (workers/gateway/src/auth/session-epochs.ts).
 * Cycling through this many users at RATE req/s comes back to each after 24 / 8 = 3 s, so every
 * request of the cold target misses the cache and pays the lookup (RPC to auth, its SessionStore).
 */
const COLD_USERS = 24;
const PASSWORD = "a bench passphrase, long enough";

/** A new account signed in, from an address of its own (registration is limited per client). */
async function signedInUser(baseUrl: string, index: number): Promise<string> {
  const email = `bench-epoch-${process.pid}-${Date.now()}-${index}@example.com`;
  const address = `198.18.${Math.floor(index / 250)}.${(index % 250) + 1}`;
  const post = (path: string, body: unknown) =>
    fetch(new URL(path, baseUrl), {
      method: "POST",
      headers: { "content-type": "application/json", "cf-connecting-ip": address },
      body: JSON.stringify(body),
    });
  const registered = await post("/api/auth/register", { email, password: PASSWORD, name: `Bench ${index}` });
  if (registered.status !== 201) throw new Error(`bench registration answered ${registered.status}`);
  const login = await post("/api/auth/login", { email, password: PASSWORD });
  const body = (await login.json()) as { accessToken?: string };
  if (!login.ok || !body.accessToken) throw new Error(`bench login answered ${login.status}`);
  return body.accessToken;
}

export const sessionEpochCheck: Scenario = {
  name: NAME,
  description:
    `GET ${PATH} through the gateway at ${RATE} req/s: no token; one user's token (the session epoch mostly ` +
    `cached, 2 s); and ${COLD_USERS} users' tokens in turn, so every request misses the cache and the gateway ` +
    "asks auth (RPC, then the user's SessionStore) whether the token's sessions were ended. Cold − warm p50 is " +
    "the lookup's cost; warm − no token is the whole bearer check as requests pay it.",
  async run({ platform, durations, say }) {
    const baseUrl = await platform.gatewayUrl();
    const tokens: string[] = [];
    for (let index = 0; index <= COLD_USERS; index++) tokens.push(await signedInUser(baseUrl, index));
    const [warmToken = "", ...coldTokens] = tokens;
    const base = { baseUrl, path: PATH, route: "gateway" as const, expectedStatuses: [404] };
    const anonymous: Target = { ...base, id: `${NAME}/anonymous/${RATE}rps`, variant: "no token" };
    const warm: Target = {
      ...base,
      id: `${NAME}/warm/${RATE}rps`,
      variant: "token, epoch cached",
      headers: { authorization: `Bearer ${warmToken}` },
    };
    const cold: Target = {
      ...base,
      id: `${NAME}/cold/${RATE}rps`,
      variant: "token, epoch looked up every request",
      headerVariants: coldTokens.map((token) => ({ authorization: `Bearer ${token}` })),
    };
    await warmUp(anonymous, durations.warmUpSeconds);
    return await measureInterleaved(
      NAME,
      [cold, warm, anonymous],
      { rate: RATE, connections: CONNECTIONS, schedule: durations.fixedRate },
      say,
    );
  },
};
