import { and, eq } from "drizzle-orm";
import { v7 as uuidv7 } from "uuid";
import { recordEvent } from "@platform/events";
import type { ExternalIssuer, LinkedSubject } from "@platform/contracts";
import type { Database } from "./db/database.ts";
import { accounts, externalIdentities, oidcProviders, outbox } from "./db/schema.ts";
import type { Role } from "./access-tokens.ts";
import { isUniqueViolation } from "@platform/db";

/** The issuers whose tokens the gateway may accept, with what it needs to check and map them. */
export async function listTrustedIssuers(db: Database): Promise<ExternalIssuer[]> {
  const rows = await db.select().from(oidcProviders).where(eq(oidcProviders.enabled, true));
  return rows.map((row) => ({
    slug: row.slug,
    issuer: row.issuer,
    audience: row.audience,
    roleClaim: row.roleClaim,
    roleMap: row.roleMap,
  }));
}

export function mapRoles(externalRoles: readonly string[], roleMap: Record<string, Role>): Role[] {
  const mapped = new Set<Role>();
  for (const role of externalRoles) {
    const local = roleMap[role];
    if (local) mapped.add(local);
  }
  return mapped.size > 0 ? [...mapped] : ["learner"];
}

/** External accounts cannot sign in with a password: this is not a valid scrypt string. */
const NO_PASSWORD = "!external-identity";

/** Why a token of a provider we trust still cannot act here. */
export type LinkRefusal = "unknown_issuer" | "account_disabled";

/**
 * The local account of an external subject. Linked by (provider, sub), never by email alone: an
 * email that a provider did not verify could otherwise take over someone's account. On first
 * sight the account is created, with its USER_CREATED event, in one transaction, with the roles
 * the provider's claims map to. From then on the account is the authority: its roles (an admin
 * may have changed them) are the ones returned, and a disabled account is refused.
 */
export async function linkExternalSubject(
  db: Database,
  input: { issuer: string; subject: string; email?: string; name?: string; externalRoles: readonly string[] },
  context: { correlationId: string },
): Promise<LinkedSubject | LinkRefusal> {
  const [provider] = await db
    .select()
    .from(oidcProviders)
    .where(and(eq(oidcProviders.issuer, input.issuer), eq(oidcProviders.enabled, true)))
    .limit(1);
  if (!provider) return "unknown_issuer";
  const roles = mapRoles(input.externalRoles, provider.roleMap);

  const findLinked = async () =>
    (
      await db
        .select({ userId: externalIdentities.userId, roles: accounts.roles, status: accounts.status })
        .from(externalIdentities)
        .innerJoin(accounts, eq(accounts.id, externalIdentities.userId))
        .where(and(eq(externalIdentities.providerId, provider.id), eq(externalIdentities.subject, input.subject)))
        .limit(1)
    )[0];
  const existing = (linked: { userId: string; roles: Role[]; status: "active" | "disabled" }) =>
    linked.status === "active" ? { userId: linked.userId, roles: linked.roles, created: false } : "account_disabled";
  const linked = await findLinked();
  if (linked) return existing(linked);

  const userId = uuidv7();
  const claimedEmail = input.email?.trim().toLowerCase();
  try {
    await db.transaction(async (tx) => {
      const taken = claimedEmail
        ? (await tx.select({ id: accounts.id }).from(accounts).where(eq(accounts.email, claimedEmail)).limit(1))
            .length > 0
        : true;
      // An address someone already uses here stays theirs; the newcomer gets a placeholder.
      const chosen = !taken && claimedEmail ? claimedEmail : `${userId}@${provider.slug}.external.invalid`;
      await tx.insert(accounts).values({ id: userId, email: chosen, passwordHash: NO_PASSWORD, roles });
      await tx.insert(externalIdentities).values({ providerId: provider.id, subject: input.subject, userId });
      await recordEvent(
        tx,
        outbox,
        "USER_CREATED",
        { userId, email: chosen, name: input.name?.trim() || input.subject.slice(0, 200), roles },
        { source: "auth", correlationId: context.correlationId },
      );
    });
  } catch (error) {
    // Two first requests of one subject raced: the other created the link; use it.
    const winner = isUniqueViolation(error) ? await findLinked() : undefined;
    if (winner) return existing(winner);
    throw error;
  }
  return { userId, roles, created: true };
}
