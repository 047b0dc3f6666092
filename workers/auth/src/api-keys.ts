import { timingSafeEqual } from "node:crypto";
import { and, desc, eq, isNull, lt, or, sql } from "drizzle-orm";
import { decodeJwt } from "jose";
import { v7 as uuidv7 } from "uuid";
import {
  API_KEY_ID_CLAIM,
  API_KEY_PATTERN,
  API_KEY_PREFIX,
  isApiScope,
  type ApiScope,
  type ResolvedApiKey,
} from "@platform/contracts";
import type { Database } from "./db/database.ts";
import { accounts, apiKeys } from "./db/schema.ts";
import { hashAccountToken } from "./account-tokens.ts";
import { base64url } from "./refresh-token-format.ts";

/**
 * Integrators' API keys (docs/integrators.md): `elk_<key id, 32 hex>_<secret>`. The id finds the
 * row, the secret is compared by its SHA-256 (32 random bytes need no slow hash: nothing to guess),
 * and only the hash is kept, so the key is shown once, when it is made or rotated.
 */
export type ApiKeyRow = typeof apiKeys.$inferSelect;

/** What the admin routes show of a key: never its secret or hash. */
export interface ApiKeyView {
  readonly id: string;
  readonly name: string;
  /** The key's public start (`elk_<id>`), to tell keys apart in a list or a leaked-secret report. */
  readonly prefix: string;
  readonly scopes: readonly ApiScope[];
  readonly ownerId: string;
  readonly createdAt: string;
  readonly rotatedAt: string | null;
  readonly previousValidUntil: string | null;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
}

/** How often a key's `last_used_at` is written at most. */
const LAST_USED_RESOLUTION_MS = 60_000;

const hexId = (id: string) => id.replaceAll("-", "");
const uuidOf = (hex: string) =>
  `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
const iso = (date: Date | null) => (date ? date.toISOString() : null);

export function viewOf(row: ApiKeyRow): ApiKeyView {
  return {
    id: row.id,
    name: row.name,
    prefix: `${API_KEY_PREFIX}${hexId(row.id)}`,
    scopes: row.scopes.filter(isApiScope),
    ownerId: row.ownerId,
    createdAt: row.createdAt.toISOString(),
    rotatedAt: iso(row.rotatedAt),
    previousValidUntil: iso(row.previousValidUntil),
    lastUsedAt: iso(row.lastUsedAt),
    revokedAt: iso(row.revokedAt),
  };
}

function newSecret(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}

const keyString = (id: string, secret: string) => `${API_KEY_PREFIX}${hexId(id)}_${secret}`;

export async function createApiKey(
  db: Database,
  input: { name: string; scopes: readonly ApiScope[]; ownerId: string },
): Promise<{ view: ApiKeyView; key: string }> {
  const id = uuidv7();
  const secret = newSecret();
  const [row] = await db
    .insert(apiKeys)
    .values({
      id,
      name: input.name,
      ownerId: input.ownerId,
      scopes: [...new Set(input.scopes)],
      secretHash: await hashAccountToken(secret),
    })
    .returning();
  if (!row) throw new Error("the new API key was not written");
  return { view: viewOf(row), key: keyString(id, secret) };
}

export async function listApiKeys(db: Database): Promise<ApiKeyView[]> {
  const rows = await db.select().from(apiKeys).orderBy(desc(apiKeys.createdAt));
  return rows.map(viewOf);
}

/**
 * A new secret; the current one stays valid for `graceSeconds` (0: it stops at once), so an
 * integration can be redeployed with the new key before the old one dies. A revoked key cannot
 * be rotated back to life. Undefined: no such key (or revoked).
 */
export async function rotateApiKey(
  db: Database,
  id: string,
  graceSeconds: number,
): Promise<{ view: ApiKeyView; key: string } | undefined> {
  const secret = newSecret();
  const [row] = await db
    .update(apiKeys)
    .set({
      secretHash: await hashAccountToken(secret),
      previousSecretHash: graceSeconds > 0 ? sql`${apiKeys.secretHash}` : null,
      previousValidUntil: graceSeconds > 0 ? sql`now() + make_interval(secs => ${graceSeconds})` : null,
      rotatedAt: sql`now()`,
    })
    .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
    .returning();
  return row && { view: viewOf(row), key: keyString(id, secret) };
}

/** Revoked at once: the next request with it gets 401. Revoking twice keeps the first time. */
export async function revokeApiKey(db: Database, id: string): Promise<ApiKeyView | undefined> {
  const [revoked] = await db
    .update(apiKeys)
    .set({ revokedAt: sql`now()`, previousSecretHash: null, previousValidUntil: null })
    .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
    .returning();
  if (revoked) return viewOf(revoked);
  // Revoked before, or no such key.
  const [row] = await db.select().from(apiKeys).where(eq(apiKeys.id, id)).limit(1);
  return row && viewOf(row);
}

function sameHash(a: string, b: string | null): boolean {
  if (b === null || a.length !== b.length) return false;
  return timingSafeEqual(new TextEncoder().encode(a), new TextEncoder().encode(b));
}

/**
 * The key behind a credential, if it may be used now: not revoked, its admin active, and (for a
 * whole key) the secret is its current one or, until the end of a rotation's grace, its previous
 * one. `last_used_at` is written on the way, at most once a minute.
 */
export async function resolveApiKey(
  db: Database,
  credential: { key: string } | { keyId: string },
): Promise<ResolvedApiKey | undefined> {
  let id: string;
  let secret: string | undefined;
  if ("key" in credential) {
    const match = API_KEY_PATTERN.exec(typeof credential.key === "string" ? credential.key : "");
    if (!match?.[1] || !match[2]) return undefined;
    id = uuidOf(match[1]);
    secret = match[2];
  } else {
    if (typeof credential.keyId !== "string" || !/^[0-9a-f-]{36}$/.test(credential.keyId)) return undefined;
    id = credential.keyId;
  }
  const [found] = await db
    .select({
      key: apiKeys,
      roles: accounts.roles,
      status: accounts.status,
      previousStillValid: sql<boolean>`coalesce(${apiKeys.previousValidUntil} > now(), false)`,
    })
    .from(apiKeys)
    .innerJoin(accounts, eq(accounts.id, apiKeys.ownerId))
    .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
    .limit(1);
  if (!found || found.status !== "active") return undefined;
  if (secret !== undefined) {
    const hash = await hashAccountToken(secret);
    const current = sameHash(hash, found.key.secretHash);
    const previous = found.previousStillValid && sameHash(hash, found.key.previousSecretHash);
    if (!current && !previous) return undefined;
  }
  await db
    .update(apiKeys)
    .set({ lastUsedAt: sql`now()` })
    .where(
      and(
        eq(apiKeys.id, id),
        or(
          isNull(apiKeys.lastUsedAt),
          lt(apiKeys.lastUsedAt, sql`now() - make_interval(secs => ${LAST_USED_RESOLUTION_MS / 1000})`),
        ),
      ),
    );
  return { keyId: id, userId: found.key.ownerId, roles: found.roles, scopes: found.key.scopes.filter(isApiScope) };
}

/**
 * Which key an access token was issued for, read from a token whose signature was already
 * verified: `none` for a person's token; a client-credentials token's `key_id` (which
 * `resolveApiKey` then judges on every use, so a revoked key voids its tokens at once); or
 * `malformed` when the claims are not what `issueClientCredentialsToken` writes, which the
 * gateway refuses as well (workers/gateway/src/auth/verify-bearer.ts).
 */
export function apiKeyOfVerifiedToken(token: string): { keyId: string } | "none" | "malformed" {
  const claims = decodeJwt(token);
  const keyId = claims[API_KEY_ID_CLAIM];
  if (keyId === undefined) return "none";
  if (typeof keyId !== "string" || typeof claims.scope !== "string") return "malformed";
  return { keyId };
}
