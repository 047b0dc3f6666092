import { inArray, or } from "drizzle-orm";
import type { AccountMatch } from "@platform/contracts";
import { normaliseEmail } from "./accounts.ts";
import type { Database } from "./db/database.ts";
import { accounts } from "./db/schema.ts";

/** How many ids, and how many addresses, one look-up takes: an enrollment import's most rows. */
export const MAX_LOOKUP = 1000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The accounts with any of these ids or addresses, in one query. Something that cannot be an id is
 * dropped rather than sent (PostgreSQL would refuse the whole query for one bad uuid): it matches
 * no account either way.
 */
export async function findAccounts(
  db: Database,
  query: { ids: readonly string[]; emails: readonly string[] },
): Promise<AccountMatch[] | "too_many"> {
  if (query.ids.length > MAX_LOOKUP || query.emails.length > MAX_LOOKUP) return "too_many";
  const ids = [...new Set(query.ids.filter((id) => UUID.test(id)).map((id) => id.toLowerCase()))];
  const emails = [...new Set(query.emails.map(normaliseEmail))];
  const conditions = [
    ...(ids.length > 0 ? [inArray(accounts.id, ids)] : []),
    ...(emails.length > 0 ? [inArray(accounts.email, emails)] : []),
  ];
  if (conditions.length === 0) return [];
  return db
    .select({ id: accounts.id, email: accounts.email, status: accounts.status })
    .from(accounts)
    .where(or(...conditions));
}
