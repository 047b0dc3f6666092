import { eq } from "drizzle-orm";
import { v7 as uuidv7 } from "uuid";
import type { EventOutcome } from "@platform/contracts";
import type { EventData, EventEnvelope } from "@platform/events";
import { logLine } from "@platform/http-kit";
import { courseOutlines } from "../db/schema.ts";
import type { Queryable } from "../db/database.ts";
import type { CertificateBindings } from "./bindings.ts";
import { certificateOf, storeCertificate } from "./certificates.ts";
import { openBadgeCredential, wholeSeconds } from "./credential.ts";

export type CourseCompleted = Pick<
  EventEnvelope<"COURSE_COMPLETED", EventData<"COURSE_COMPLETED">>,
  "data" | "metadata"
>;

/**
 * Thrown when a service the certificate needs cannot answer now. The event router sees the
 * rejection and delivers COURSE_COMPLETED again later (Queue retries, then the outbox sweep's
 * re-sends), so the certificate is issued once the service is back; nothing is stored meanwhile.
 */
export class IssuanceDeferred extends Error {
  constructor(reason: string) {
    super(`certificate not issued yet: ${reason}`);
    this.name = "IssuanceDeferred";
  }
}

/**
 * COURSE_COMPLETED, as this service consumes its own event: the learner's certificate, issued
 * once per (learner, course) however often the event arrives. The learner's name and the course's
 * title are read at issuance and kept as they were then, inside the signed credential too.
 *
 * No transaction is held open across the calls to other services: the unique (user, course) key
 * settles a race between two deliveries, and the loser's signature is simply not kept.
 */
export async function issueCertificateFor(
  db: Queryable,
  env: CertificateBindings,
  event: CourseCompleted,
  now: Date = new Date(),
): Promise<EventOutcome> {
  const { userId, courseId, completedAt } = event.data;
  if (await certificateOf(db, userId, courseId)) return "duplicate";

  const [name, courseTitle] = await Promise.all([env.USERS.learnerName(userId), titleOf(db, env, courseId)]);
  if (!name.ok && name.code === "not_found") {
    // No profile for good: the account was erased. A certificate would name nobody.
    logLine("warn", "progress", "no certificate: the learner has no profile", {
      userId,
      courseId,
      correlationId: event.metadata.correlationId,
    });
    return "ignored";
  }
  // `pending`: the profile is not made yet (this learner's USER_CREATED and this event can arrive in one batch);
  // `unavailable`: users is down. Either way the router retries the event, and the certificate comes then.
  if (!name.ok) throw new IssuanceDeferred(`the users service cannot tell the learner's name yet (${name.code})`);

  const certificateId = uuidv7();
  const issuedAt = wholeSeconds(now);
  const completed = new Date(completedAt);
  const signed = await env.AUTH.signCredential(
    openBadgeCredential({
      certificateId,
      userId,
      learnerName: name.value,
      courseId,
      courseTitle,
      completedAt: completed,
      issuedAt,
    }),
  );
  if (!signed.ok) throw new IssuanceDeferred(`the auth service did not sign the credential (${signed.code})`);

  const stored = await storeCertificate(db, {
    id: certificateId,
    userId,
    courseId,
    learnerName: name.value,
    courseTitle,
    completedAt: completed,
    issuedAt,
    credential: signed.value.jwt,
  });
  return stored ? "applied" : "duplicate";
}

/** The title from this service's outline of the course, or from the courses service when it has none yet. */
async function titleOf(db: Queryable, env: CertificateBindings, courseId: string): Promise<string> {
  const [outline] = await db
    .select({ title: courseOutlines.title })
    .from(courseOutlines)
    .where(eq(courseOutlines.courseId, courseId))
    .limit(1);
  if (outline) return outline.title;
  let course: Awaited<ReturnType<CertificateBindings["COURSES"]["courseForSale"]>>;
  try {
    course = await env.COURSES.courseForSale(courseId);
  } catch {
    throw new IssuanceDeferred("the courses service cannot tell the course's title");
  }
  if (!course) throw new IssuanceDeferred("the course is unknown to the courses service");
  return course.title;
}
