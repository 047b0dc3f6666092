import { createLocalJWKSet, type JSONWebKeySet, type JWTVerifyGetKey } from "jose";

/**
 * The auth worker's JWKS, fetched through its service binding and kept per isolate. An unknown
 * `kid` (a key rotated in since the last fetch) triggers a refetch, at most once per
 * `REFETCH_COOLDOWN_MS`, so a flood of tokens with made-up kids cannot turn into a flood of fetches.
 */
const MAX_AGE_MS = 5 * 60 * 1000;
const REFETCH_COOLDOWN_MS = 30 * 1000;

interface Cached {
  readonly keySet: JWTVerifyGetKey;
  readonly kids: ReadonlySet<string>;
  readonly fetchedAt: number;
}

let cached: Cached | undefined;
let inflight: Promise<Cached> | undefined;

async function load(auth: Fetcher): Promise<Cached> {
  const response = await auth.fetch("http://auth/.well-known/jwks.json");
  if (!response.ok) throw new Error(`JWKS answered ${response.status}`);
  const jwks = (await response.json()) as JSONWebKeySet;
  return {
    keySet: createLocalJWKSet(jwks),
    kids: new Set(jwks.keys.map((key) => key.kid).filter((kid): kid is string => typeof kid === "string")),
    fetchedAt: Date.now(),
  };
}

function refresh(auth: Fetcher): Promise<Cached> {
  inflight ??= load(auth)
    .then((fresh) => (cached = fresh))
    .finally(() => (inflight = undefined));
  return inflight;
}

export async function keySetFor(auth: Fetcher, kid: string): Promise<Cached> {
  const now = Date.now();
  if (!cached || now - cached.fetchedAt > MAX_AGE_MS) return refresh(auth);
  if (!cached.kids.has(kid) && now - cached.fetchedAt > REFETCH_COOLDOWN_MS) return refresh(auth);
  return cached;
}

/** For tests of rotation: forget what was fetched. */
export function forgetKeys(): void {
  cached = undefined;
}
