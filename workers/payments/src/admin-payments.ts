import { and, desc, eq, lt } from "drizzle-orm";
import type { Database } from "./db/database.ts";
import { payments } from "./db/schema.ts";
import type { Payment } from "./purchase-state.ts";

export interface PaymentFilter {
  readonly status?: Payment["status"];
  readonly userId?: string;
  readonly courseId?: string;
  readonly cursor?: string;
  readonly limit: number;
}

/**
 * Every course purchase, newest first, for admins (support finds a buyer's payment to refund it).
 * Ids are UUIDv7 (time-ordered), so newest first is descending id and the last id shown is a
 * stable cursor. A buyer's purchases come through `payments_user_idx` (user, id).
 */
export async function listPayments(
  db: Database,
  filter: PaymentFilter,
): Promise<{ items: Payment[]; nextCursor: string | null }> {
  const rows = await db
    .select()
    .from(payments)
    .where(
      and(
        filter.status ? eq(payments.status, filter.status) : undefined,
        filter.userId ? eq(payments.userId, filter.userId) : undefined,
        filter.courseId ? eq(payments.courseId, filter.courseId) : undefined,
        filter.cursor ? lt(payments.id, filter.cursor) : undefined,
      ),
    )
    .orderBy(desc(payments.id))
    .limit(filter.limit + 1);
  const items = rows.slice(0, filter.limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > filter.limit && last ? last.id : null };
}
