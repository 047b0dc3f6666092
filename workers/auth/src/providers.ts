import { and, eq } from "drizzle-orm";
import { v7 as uuidv7 } from "uuid";
import { insertedRow, isUniqueViolation } from "@platform/db";
import type { Role } from "./access-tokens.ts";
import type { Database } from "./db/database.ts";
import { oidcProviders } from "./db/schema.ts";
import { isSealedWithCurrentKey, openSecret, sealSecret } from "./secret-box.ts";

/**
 * An external OpenID provider an admin configured (the row, client secret included: never present
 * it as is). As stored, the client secret is sealed with `OIDC_SECRETS_KEY` (secret-box.ts), bound
 * to the provider's id; `findSignInProvider` opens it.
 */
export type Provider = typeof oidcProviders.$inferSelect;

export interface ProviderInput {
  readonly slug: string;
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret?: string | undefined;
  readonly audience: string;
  readonly roleClaim: string;
  readonly roleMap: Record<string, Role>;
}

export class ProviderExistsError extends Error {
  constructor() {
    super("A provider with this slug or issuer exists.");
    this.name = "ProviderExistsError";
  }
}

/**
 * Trusts a provider. The issuer is stored without a trailing slash, as tokens carry it; the client
 * secret encrypted with `secretsKey` (a `SecretKeyError` when there is a secret and no usable key).
 */
export async function createProvider(
  db: Database,
  input: ProviderInput,
  secretsKey: string | undefined,
): Promise<Provider> {
  const id = uuidv7();
  const clientSecret = input.clientSecret ? await sealSecret(secretsKey, input.clientSecret, id) : null;
  try {
    return insertedRow(
      await db
        .insert(oidcProviders)
        .values({ id, ...input, issuer: input.issuer.replace(/\/$/, ""), clientSecret })
        .returning(),
    );
  } catch (error) {
    if (isUniqueViolation(error)) throw new ProviderExistsError();
    throw error;
  }
}

/** Every configured provider, enabled or not, by slug (the admin's list). */
export async function listProviders(db: Database): Promise<Provider[]> {
  return db.select().from(oidcProviders).orderBy(oidcProviders.slug);
}

/** The providers a person can sign in with, by slug. */
export async function listSignInProviders(db: Database): Promise<{ slug: string; issuer: string }[]> {
  return db
    .select({ slug: oidcProviders.slug, issuer: oidcProviders.issuer })
    .from(oidcProviders)
    .where(eq(oidcProviders.enabled, true))
    .orderBy(oidcProviders.slug);
}

/**
 * The enabled provider behind a sign-in URL's slug, its client secret in plain text for the token
 * request; undefined when there is none. A secret stored in plain text before encryption existed,
 * or sealed with an older key or format (a rotation of `OIDC_SECRETS_KEY`), is sealed with the
 * current key now (only if the row still holds that same text).
 */
export async function findSignInProvider(
  db: Database,
  slug: string,
  secretsKey: string | undefined,
): Promise<Provider | undefined> {
  const [row] = await db
    .select()
    .from(oidcProviders)
    .where(and(eq(oidcProviders.slug, slug), eq(oidcProviders.enabled, true)))
    .limit(1);
  if (!row?.clientSecret) return row;
  const stored = row.clientSecret;
  const clientSecret = await openSecret(secretsKey, stored, row.id);
  if (secretsKey && !(await isSealedWithCurrentKey(secretsKey, stored))) {
    await db
      .update(oidcProviders)
      .set({ clientSecret: await sealSecret(secretsKey, clientSecret, row.id) })
      .where(and(eq(oidcProviders.id, row.id), eq(oidcProviders.clientSecret, stored)));
  }
  return { ...row, clientSecret };
}

/**
 * Stops or resumes trusting a provider: its tokens are refused and its sign-in button goes
 * (the gateway's cache of trusted issuers is a few seconds; linking checks `enabled` per request).
 * Undefined when there is no such provider.
 */
export async function setProviderEnabled(db: Database, id: string, enabled: boolean): Promise<Provider | undefined> {
  const [row] = await db.update(oidcProviders).set({ enabled }).where(eq(oidcProviders.id, id)).returning();
  return row;
}

/**
 * Forgets a provider and its subject links (by cascade). The accounts stay, with what they hold
 * here; if the provider is configured again, its users are linked afresh on their next token.
 * False when there was no such provider.
 */
export async function removeProvider(db: Database, id: string): Promise<boolean> {
  const deleted = await db.delete(oidcProviders).where(eq(oidcProviders.id, id)).returning({ id: oidcProviders.id });
  return deleted.length > 0;
}
