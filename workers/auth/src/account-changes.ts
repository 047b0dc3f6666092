import { and, eq, sql } from "drizzle-orm";
import { isUniqueViolation } from "@platform/db";
import { consumeAccountToken, voidAccountTokens } from "./account-tokens.ts";
import type { Database } from "./db/database.ts";
import { accounts } from "./db/schema.ts";

/**
 * What the mailed links do to an account. Each uses its token and applies its change in one
 * transaction: a link is spent only by a change that committed, and a change happens only once.
 * `undefined` means the link is invalid, expired, already used, voided or for something else:
 * the caller answers all of those alike, and nothing changed.
 */

/** Follows a verification link: the address is confirmed (a second confirmation keeps the first time). */
export async function confirmEmailAddress(db: Database, token: string): Promise<{ userId: string } | undefined> {
  return db.transaction(async (tx) => {
    const used = await consumeAccountToken(tx, token, "verify_email");
    if (!used) return undefined;
    await tx
      .update(accounts)
      .set({ emailVerifiedAt: sql`coalesce(${accounts.emailVerifiedAt}, now())` })
      .where(eq(accounts.id, used.userId));
    return { userId: used.userId };
  });
}

export type PasswordResetOutcome =
  | { readonly reset: true; readonly userId: string; readonly email: string }
  | { readonly reset: false; readonly reason: "invalid-token" }
  | { readonly reset: false; readonly reason: "password-refused"; readonly message: string };

/**
 * Follows a reset link: sets the new password (hashed by the caller, before the transaction, so
 * no connection waits on scrypt). Only for an active account: a disabled one's link is refused
 * like a spent one. Reading the link proves the mailbox too, so the address counts as confirmed.
 * `refusal` checks the password against the account's address (which only the token reveals):
 * when it refuses, the transaction rolls back and the link still works.
 */
export async function resetPassword(
  db: Database,
  token: string,
  passwordHash: string,
  refusal: (email: string) => string | undefined,
): Promise<PasswordResetOutcome> {
  class RollBack extends Error {
    readonly outcome: PasswordResetOutcome;
    constructor(outcome: PasswordResetOutcome) {
      super("rolled back");
      this.outcome = outcome;
    }
  }
  try {
    return await db.transaction(async (tx): Promise<PasswordResetOutcome> => {
      const used = await consumeAccountToken(tx, token, "reset_password");
      if (!used) return { reset: false, reason: "invalid-token" };
      const [account] = await tx
        .update(accounts)
        .set({
          passwordHash,
          emailVerifiedAt: sql`coalesce(${accounts.emailVerifiedAt}, now())`,
          updatedAt: new Date(),
        })
        .where(and(eq(accounts.id, used.userId), eq(accounts.status, "active")))
        .returning({ id: accounts.id, email: accounts.email });
      if (!account) throw new RollBack({ reset: false, reason: "invalid-token" });
      const message = refusal(account.email);
      if (message !== undefined) throw new RollBack({ reset: false, reason: "password-refused", message });
      await voidAccountTokens(tx, account.id, "reset_password");
      return { reset: true, userId: account.id, email: account.email };
    });
  } catch (error) {
    if (error instanceof RollBack) return error.outcome;
    throw error;
  }
}

/** Sets a new password for a signed-in user who proved the current one (hashed by the caller). */
export async function setPassword(db: Database, userId: string, passwordHash: string): Promise<boolean> {
  const changed = await db
    .update(accounts)
    .set({ passwordHash, updatedAt: new Date() })
    .where(and(eq(accounts.id, userId), eq(accounts.status, "active")))
    .returning({ id: accounts.id });
  return changed.length > 0;
}

export type EmailChangeOutcome =
  | { readonly changed: true; readonly userId: string; readonly oldEmail: string; readonly newEmail: string }
  | { readonly changed: false; readonly reason: "invalid-token" | "email-taken" };

/**
 * Follows the link mailed to a new address: the account's address becomes it, confirmed by this
 * very link. Whether the address is free is decided now, by the unique index: another account may
 * have taken it since the link was mailed (then nothing changes and the link stays usable).
 * Verification links mailed to the old address stop working.
 */
export async function changeEmailAddress(db: Database, token: string): Promise<EmailChangeOutcome> {
  class Taken extends Error {}
  try {
    return await db.transaction(async (tx): Promise<EmailChangeOutcome> => {
      const used = await consumeAccountToken(tx, token, "change_email");
      if (!used?.newEmail) return { changed: false, reason: "invalid-token" };
      const [before] = await tx
        .select({ email: accounts.email })
        .from(accounts)
        .where(eq(accounts.id, used.userId))
        .for("update");
      if (!before) return { changed: false, reason: "invalid-token" };
      try {
        await tx
          .update(accounts)
          .set({ email: used.newEmail, emailVerifiedAt: sql`now()`, updatedAt: new Date() })
          .where(eq(accounts.id, used.userId));
      } catch (error) {
        if (isUniqueViolation(error, "accounts_email_key")) throw new Taken();
        throw error;
      }
      await voidAccountTokens(tx, used.userId, "verify_email");
      return { changed: true, userId: used.userId, oldEmail: before.email, newEmail: used.newEmail };
    });
  } catch (error) {
    if (error instanceof Taken) return { changed: false, reason: "email-taken" };
    throw error;
  }
}
