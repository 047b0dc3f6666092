import { countDistinct, isNull } from "drizzle-orm";
import { enrollments } from "./db/schema.ts";

/**
 * How many learners a course has: people with an active grant (a purchase, a free enrollment, an
 * integrator's), each counted once however many grants they hold; a revoked grant does not count,
 * nor a subscriber who never enrolled. The one definition behind an author's counts (`GET
 * /api/courses/mine`, instructor.ts) and the catalog's popular order (catalog.ts).
 */
export const enrolledLearners = () => countDistinct(enrollments.userId);

/** The grants that count: not revoked (the partial index `enrollments_course_idx` holds exactly these). */
export const activeGrant = () => isNull(enrollments.revokedAt);
