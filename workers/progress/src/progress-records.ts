import { asc, eq } from "drizzle-orm";
import type { ProgressRecords } from "@platform/contracts";
import type { Queryable } from "./db/database.ts";
import { certificates, courseLessons, courseOutlines, courseProgress, lessonProgress } from "./db/schema.ts";

const iso = (at: Date | null) => at?.toISOString() ?? null;

/**
 * A learner's personal data in the progress service, for their export: every course and lesson they have
 * progress on and every certificate issued to them, as stored (USER_DELETED deletes the same rows). Titles
 * come from the outline projection by a left join: progress on a lesson the course has since dropped is
 * still theirs, it just has no title here any more.
 */
export async function progressRecords(db: Queryable, userId: string): Promise<ProgressRecords> {
  const [courses, lessons, issued] = await Promise.all([
    db
      .select({ row: courseProgress, courseTitle: courseOutlines.title })
      .from(courseProgress)
      .leftJoin(courseOutlines, eq(courseOutlines.courseId, courseProgress.courseId))
      .where(eq(courseProgress.userId, userId))
      .orderBy(asc(courseProgress.enrolledAt), asc(courseProgress.courseId)),
    db
      .select({ row: lessonProgress, lessonTitle: courseLessons.title })
      .from(lessonProgress)
      .leftJoin(courseLessons, eq(courseLessons.lessonId, lessonProgress.lessonId))
      .where(eq(lessonProgress.userId, userId))
      .orderBy(asc(lessonProgress.courseId), asc(courseLessons.position), asc(lessonProgress.lessonId)),
    db.select().from(certificates).where(eq(certificates.userId, userId)).orderBy(asc(certificates.id)),
  ]);
  return {
    courses: courses.map(({ row, courseTitle }) => ({
      courseId: row.courseId,
      courseTitle,
      enrolledAt: iso(row.enrolledAt),
      startedAt: iso(row.startedAt),
      lastActivityAt: iso(row.lastActivityAt),
      lastLessonId: row.lastLessonId,
      completedAt: iso(row.completedAt),
    })),
    lessons: lessons.map(({ row, lessonTitle }) => ({
      lessonId: row.lessonId,
      courseId: row.courseId,
      lessonTitle,
      firstViewedAt: iso(row.firstViewedAt),
      completedAt: iso(row.completedAt),
      positionSeconds: row.positionSeconds,
      positionUpdatedAt: iso(row.positionUpdatedAt),
      updatedAt: row.updatedAt.toISOString(),
    })),
    certificates: issued.map((certificate) => ({
      id: certificate.id,
      courseId: certificate.courseId,
      courseTitle: certificate.courseTitle,
      learnerName: certificate.learnerName,
      completedAt: certificate.completedAt.toISOString(),
      issuedAt: certificate.issuedAt.toISOString(),
      revokedAt: iso(certificate.revokedAt),
      revokedReason: certificate.revokedReason,
      credentialJwt: certificate.credential,
    })),
  };
}
