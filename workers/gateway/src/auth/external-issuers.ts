import { createRemoteJWKSet, type JWTVerifyGetKey } from "jose";
import type { AuthRpc, ExternalIssuer } from "@platform/contracts";

/**
 * What the gateway knows about external OpenID providers (KeyCloak and the like): which issuers
 * the auth service trusts (asked over RPC, kept for a few seconds, so a provider an admin disables
 * or removes stops being trusted that fast; every token is also linked over RPC, which checks the
 * provider again), and each issuer's signing keys,
 * found through its discovery document. jose's remote key set refetches on an unknown `kid`, with
 * a cooldown, so a provider's key rotation is picked up without a restart.
 */
export const ISSUERS_MAX_AGE_MS = 3 * 1000;
const DISCOVERY_TIMEOUT_MS = 5_000;

let issuers: { list: ExternalIssuer[]; fetchedAt: number } | undefined;
const keySets = new Map<string, Promise<JWTVerifyGetKey>>();

export async function trustedIssuer(auth: AuthRpc, issuer: string): Promise<ExternalIssuer | undefined> {
  if (!issuers || Date.now() - issuers.fetchedAt > ISSUERS_MAX_AGE_MS) {
    const result = await auth.trustedIssuers();
    if (!result.ok) throw new Error("the auth service could not list trusted issuers");
    issuers = { list: result.value, fetchedAt: Date.now() };
  }
  return issuers.list.find((candidate) => candidate.issuer === issuer);
}

async function discoverKeySet(issuer: string): Promise<JWTVerifyGetKey> {
  const response = await fetch(`${issuer}/.well-known/openid-configuration`, {
    signal: AbortSignal.timeout(DISCOVERY_TIMEOUT_MS),
  });
  if (!response.ok) throw new Error(`discovery for ${issuer} answered ${response.status}`);
  const metadata = (await response.json()) as { issuer?: unknown; jwks_uri?: unknown };
  // A discovery document must name the issuer it was fetched for (OpenID Connect Discovery §4.3).
  if (metadata.issuer !== issuer || typeof metadata.jwks_uri !== "string") {
    throw new Error(`discovery for ${issuer} does not describe that issuer`);
  }
  return createRemoteJWKSet(new URL(metadata.jwks_uri), { timeoutDuration: DISCOVERY_TIMEOUT_MS });
}

export function keySetOf(issuer: string): Promise<JWTVerifyGetKey> {
  let keySet = keySets.get(issuer);
  if (!keySet) {
    keySet = discoverKeySet(issuer);
    keySet.catch(() => keySets.delete(issuer));
    keySets.set(issuer, keySet);
  }
  return keySet;
}
