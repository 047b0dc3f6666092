import { and, eq, gt, isNull, lte, or, sql } from "drizzle-orm";
import { v7 as uuidv7 } from "uuid";
import { insertedRow } from "@platform/db";
import type { Queryable } from "./db/database.ts";
import { accountTokens } from "./db/schema.ts";
import { base64url } from "./refresh-token-format.ts";

/**
 * The single-use links mailed to account owners. The link carries 32 random bytes (base64url);
 * the database keeps only their SHA-256, so reading the table (a backup, a replica) yields no link
 * that works. A token is bound to one purpose: a verification link cannot reset a password.
 */
export type AccountTokenPurpose = (typeof accountTokens.$inferSelect)["purpose"];

export interface IssuedAccountToken {
  /** What goes into the link; never stored. */
  readonly token: string;
  readonly expiresAt: Date;
}

export interface ConsumedAccountToken {
  readonly userId: string;
  readonly newEmail: string | null;
}

/** 32 bytes in base64url, without padding: exactly 43 characters of that alphabet. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export async function hashAccountToken(token: string): Promise<string> {
  return base64url(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token))));
}

/**
 * A new token for the user and purpose. Their older unused tokens of that purpose stop working
 * (only the newest mail's link does), and their expired ones are cleared away, so the table holds
 * little more than the links still out. Call it in the transaction that makes the reason for it
 * (a registration, say), so a token never outlives a rolled-back change.
 */
export async function issueAccountToken(
  tx: Queryable,
  input: { userId: string; purpose: AccountTokenPurpose; lifetimeSeconds: number; newEmail?: string },
): Promise<IssuedAccountToken> {
  await tx
    .delete(accountTokens)
    .where(
      and(
        eq(accountTokens.userId, input.userId),
        or(
          and(eq(accountTokens.purpose, input.purpose), isNull(accountTokens.usedAt)),
          lte(accountTokens.expiresAt, sql`now()`),
        ),
      ),
    );
  const token = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const row = insertedRow(
    await tx
      .insert(accountTokens)
      .values({
        id: uuidv7(),
        userId: input.userId,
        purpose: input.purpose,
        tokenHash: await hashAccountToken(token),
        newEmail: input.newEmail ?? null,
        // The database's clock decides expiry on use, so it sets it here too.
        expiresAt: sql`now() + make_interval(secs => ${input.lifetimeSeconds})`,
      })
      .returning({ expiresAt: accountTokens.expiresAt }),
  );
  return { token, expiresAt: row.expiresAt };
}

/**
 * Uses a token: one conditional UPDATE, so of two requests with the same link exactly one wins,
 * and an expired, used, voided, tampered or other-purpose token all come back `undefined` alike.
 * Call it in the transaction that applies what the token allows: if that fails, the token stays unused.
 */
export async function consumeAccountToken(
  tx: Queryable,
  token: string,
  purpose: AccountTokenPurpose,
): Promise<ConsumedAccountToken | undefined> {
  if (!TOKEN_SHAPE.test(token)) return undefined;
  const [row] = await tx
    .update(accountTokens)
    .set({ usedAt: sql`now()` })
    .where(
      and(
        eq(accountTokens.tokenHash, await hashAccountToken(token)),
        eq(accountTokens.purpose, purpose),
        isNull(accountTokens.usedAt),
        gt(accountTokens.expiresAt, sql`now()`),
      ),
    )
    .returning({ userId: accountTokens.userId, newEmail: accountTokens.newEmail });
  return row;
}

/** Voids the user's unused tokens of a purpose (after a reset, the other reset links are moot). */
export async function voidAccountTokens(tx: Queryable, userId: string, purpose: AccountTokenPurpose): Promise<void> {
  await tx
    .delete(accountTokens)
    .where(and(eq(accountTokens.userId, userId), eq(accountTokens.purpose, purpose), isNull(accountTokens.usedAt)));
}
