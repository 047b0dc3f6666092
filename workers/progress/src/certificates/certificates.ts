import { and, desc, eq, isNull, lt } from "drizzle-orm";
import { certificates } from "../db/schema.ts";
import type { Queryable } from "../db/database.ts";

/** Certificates as stored: each one's facts and the signed credential, as issued. */
export type Certificate = typeof certificates.$inferSelect;

export async function findCertificate(db: Queryable, id: string): Promise<Certificate | undefined> {
  const [found] = await db.select().from(certificates).where(eq(certificates.id, id)).limit(1);
  return found;
}

/** The one certificate a learner can hold for a course, if it was issued. */
export async function certificateOf(
  db: Queryable,
  userId: string,
  courseId: string,
): Promise<{ id: string } | undefined> {
  const [found] = await db
    .select({ id: certificates.id })
    .from(certificates)
    .where(and(eq(certificates.userId, userId), eq(certificates.courseId, courseId)))
    .limit(1);
  return found;
}

/**
 * Stores a newly signed certificate unless the learner already has one for the course (a
 * redelivered or concurrent COURSE_COMPLETED): the unique (user, course) key decides, so exactly
 * one is ever kept. Resolves to whether this one was.
 */
export async function storeCertificate(db: Queryable, certificate: typeof certificates.$inferInsert): Promise<boolean> {
  const stored = await db
    .insert(certificates)
    .values(certificate)
    .onConflictDoNothing({ target: [certificates.userId, certificates.courseId] })
    .returning({ id: certificates.id });
  return stored.length > 0;
}

/**
 * A learner's certificates, the newest first. Ids are UUIDv7, minted at issuance, so their order
 * is the order of issue and the last id of a page is the cursor of the next.
 */
export async function certificatesOf(
  db: Queryable,
  userId: string,
  page: { cursor?: string; limit: number },
): Promise<{ items: Certificate[]; nextCursor: string | null }> {
  const rows = await db
    .select()
    .from(certificates)
    .where(and(eq(certificates.userId, userId), page.cursor ? lt(certificates.id, page.cursor) : undefined))
    .orderBy(desc(certificates.id))
    .limit(page.limit + 1);
  const items = rows.slice(0, page.limit);
  return { items, nextCursor: rows.length > page.limit ? (items.at(-1)?.id ?? null) : null };
}

/**
 * Revokes a certificate. Revoking it again changes nothing: the first revocation (its time and
 * reason) stands. Undefined when there is no such certificate.
 */
export async function revokeCertificate(
  db: Queryable,
  id: string,
  reason: string,
  now: Date = new Date(),
): Promise<Certificate | undefined> {
  const [revoked] = await db
    .update(certificates)
    .set({ revokedAt: now, revokedReason: reason })
    .where(and(eq(certificates.id, id), isNull(certificates.revokedAt)))
    .returning();
  return revoked ?? findCertificate(db, id);
}
