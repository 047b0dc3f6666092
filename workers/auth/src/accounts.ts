import { eq } from "drizzle-orm";
import type { MailRecipient } from "@platform/contracts";
import { insertedRow, isUniqueViolation } from "@platform/db";
import { recordEvent } from "@platform/events";
import type { Database } from "./db/database.ts";
import { accounts, outbox } from "./db/schema.ts";
import { hashPassword, verifyPassword } from "./password.ts";
import type { Role } from "./access-tokens.ts";
import { issueAccountToken, type IssuedAccountToken } from "./account-tokens.ts";

export interface Account {
  readonly id: string;
  readonly email: string;
  readonly roles: Role[];
  readonly status: "active" | "disabled";
  /** Whether the owner followed a link mailed to `email` (unverified accounts can still sign in). */
  readonly emailVerified: boolean;
  readonly createdAt: Date;
}

/** Emails are compared trimmed and lower-cased: `Ada@Example.com ` and `ada@example.com` are one account. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export class EmailTakenError extends Error {
  constructor() {
    super("An account with this email already exists.");
    this.name = "EmailTakenError";
  }
}

/**
 * Creates the account, its USER_CREATED event and the token of its verification link in one
 * transaction: if any fails, none exists. The profile (name, locale…) belongs to the users
 * service, which learns of it from the event. The password is hashed before anything is looked
 * up, so a taken address costs the same as a free one.
 */
export async function registerAccount(
  db: Database,
  input: { id: string; email: string; password: string; name: string; verifyLifetimeSeconds: number },
  context: { correlationId: string },
): Promise<{ account: Account; verification: IssuedAccountToken }> {
  const passwordHash = await hashPassword(input.password);
  try {
    return await db.transaction(async (tx) => {
      const created = insertedRow(
        await tx
          .insert(accounts)
          .values({ id: input.id, email: input.email, passwordHash, roles: ["learner"] })
          .returning(),
      );
      await recordEvent(
        tx,
        outbox,
        "USER_CREATED",
        { userId: created.id, email: created.email, name: input.name, roles: created.roles },
        { source: "auth", correlationId: context.correlationId },
      );
      const verification = await issueAccountToken(tx, {
        userId: created.id,
        purpose: "verify_email",
        lifetimeSeconds: input.verifyLifetimeSeconds,
      });
      return { account: toAccount(created), verification };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new EmailTakenError();
    throw error;
  }
}

/** The account with this (normalised) address, if any. */
export async function findAccountByEmail(db: Database, email: string): Promise<Account | undefined> {
  const [row] = await db.select().from(accounts).where(eq(accounts.email, email)).limit(1);
  return row ? toAccount(row) : undefined;
}

export async function findAccountById(db: Database, id: string): Promise<Account | undefined> {
  const [row] = await db.select().from(accounts).where(eq(accounts.id, id)).limit(1);
  return row ? toAccount(row) : undefined;
}

/** Where mail to the account goes, whether that address was confirmed, and whether the account may act. */
export async function findMailRecipient(db: Database, id: string): Promise<MailRecipient | undefined> {
  const [row] = await db
    .select({ email: accounts.email, emailVerifiedAt: accounts.emailVerifiedAt, status: accounts.status })
    .from(accounts)
    .where(eq(accounts.id, id))
    .limit(1);
  return row ? { email: row.email, emailVerified: row.emailVerifiedAt !== null, status: row.status } : undefined;
}

/**
 * A hash of a password nobody knows, verified when the email is unknown so that unknown-email
 * and wrong-password attempts cost the same time (no account enumeration by timing).
 */
let dummyHash: Promise<string> | undefined;

export async function checkCredentials(db: Database, email: string, password: string): Promise<Account | undefined> {
  const [row] = await db.select().from(accounts).where(eq(accounts.email, email)).limit(1);
  if (!row) {
    dummyHash ??= hashPassword(crypto.randomUUID());
    await verifyPassword(password, await dummyHash);
    return undefined;
  }
  const matches = await verifyPassword(password, row.passwordHash);
  if (!matches || row.status !== "active") return undefined;
  return toAccount(row);
}

function toAccount(row: typeof accounts.$inferSelect): Account {
  return {
    id: row.id,
    email: row.email,
    roles: row.roles,
    status: row.status,
    emailVerified: row.emailVerifiedAt !== null,
    createdAt: row.createdAt,
  };
}

/** Changes roles and/or status, with USER_UPDATED, in one transaction. Undefined when no such account. */
export async function changeAccount(
  db: Database,
  userId: string,
  changes: { roles?: Role[]; status?: "active" | "disabled" },
  context: { correlationId: string },
): Promise<Account | undefined> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(accounts)
      .set({ ...changes, updatedAt: new Date() })
      .where(eq(accounts.id, userId))
      .returning();
    if (!row) return undefined;
    await recordEvent(tx, outbox, "USER_UPDATED", { userId, ...changes }, { source: "auth", ...context });
    return toAccount(row);
  });
}

/**
 * Erasure: the account row goes (its external identities with it, by cascade) and USER_DELETED
 * is recorded, in one transaction. The event carries the id only: no personal data outlives it.
 */
export async function eraseAccount(db: Database, userId: string, context: { correlationId: string }): Promise<boolean> {
  return db.transaction(async (tx) => {
    const deleted = await tx.delete(accounts).where(eq(accounts.id, userId)).returning({ id: accounts.id });
    if (deleted.length === 0) return false;
    await recordEvent(tx, outbox, "USER_DELETED", { userId }, { source: "auth", ...context });
    return true;
  });
}
