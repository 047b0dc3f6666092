import { sql } from "drizzle-orm";
import type { CoursesRpc, LearnerCourse } from "@platform/contracts";
import { ProblemError, decodeKeysetCursor, encodeKeysetCursor } from "@platform/http-kit";
import type { Queryable } from "./db/database.ts";
import { courseLessons, courseOutlines, courseProgress, lessonProgress } from "./db/schema.ts";
import { coursesUnavailable, ensureOutlines, type OutlineSource } from "./outlines.ts";
import { percentOf } from "./tally.ts";

/**
 * "My learning" (`GET /api/progress/me`): every course the learner may learn now, with how far they
 * are, most recent activity first. Which courses comes from courses (`learnerCourses`: active
 * grants, so a refunded purchase drops out while its history stays here, and whether a
 * subscription is active); a subscriber's courses are the ones they have started. The rest is one
 * statement over this service's tables, paged by a cursor on (last activity or grant, course id).
 */

export interface MyLearningItem {
  readonly courseId: string;
  readonly title: string;
  readonly slug: string;
  /** What the access rests on: the grants' kinds, or `["subscription"]` for a course opened by a subscription. */
  readonly via: readonly string[];
  readonly percent: number;
  readonly requiredLessons: number;
  readonly completedLessons: number;
  readonly grantedAt: string | null;
  readonly startedAt: string | null;
  readonly lastActivityAt: string | null;
  readonly completedAt: string | null;
  readonly nextLesson: {
    readonly lessonId: string;
    readonly title: string;
    readonly position: number;
    readonly positionSeconds: number | null;
  } | null;
}

export interface MyLearningPage {
  readonly items: readonly MyLearningItem[];
  readonly nextCursor: string | null;
}

export interface PageQuery {
  readonly cursor?: string | undefined;
  readonly limit: number;
}

type Source = Pick<CoursesRpc, "learnerCourses"> & OutlineSource;

export async function readMyLearning(
  db: Queryable,
  courses: Source,
  userId: string,
  page: PageQuery,
): Promise<MyLearningPage> {
  const after = page.cursor === undefined ? undefined : decodeCursor(page.cursor);
  if (page.cursor !== undefined && !after) {
    throw new ProblemError("validation-failed", {
      detail: "One or more fields are invalid.",
      errors: [{ path: "query.cursor", message: "not a cursor this list gave out" }],
    });
  }
  let access: Awaited<ReturnType<Source["learnerCourses"]>>;
  try {
    access = await courses.learnerCourses(userId);
  } catch {
    throw coursesUnavailable();
  }
  if (!access.ok) throw coursesUnavailable();
  const { grants, subscribed } = access.value;

  let rows = await readPage(db, userId, grants, subscribed, after, page.limit);
  // A granted course this service has no outline of yet is read from courses once, then the page again.
  const missing = rows.filter((row) => !row.projected).map((row) => row.course_id);
  if (missing.length > 0) {
    await ensureOutlines(db, courses, missing);
    rows = await readPage(db, userId, grants, subscribed, after, page.limit);
  }
  const byCourse = new Map(grants.map((grant) => [grant.courseId, grant]));
  const items = rows.slice(0, page.limit).map((row) => itemOf(row, byCourse.get(row.course_id)));
  const last = rows.length > page.limit ? rows[page.limit - 1] : undefined;
  return { items, nextCursor: last ? encodeCursor(last.sort_at, last.course_id) : null };
}

type Row = {
  course_id: string;
  sort_at: string;
  granted_at: string | null;
  started_at: string | null;
  last_activity_at: string | null;
  completed_at: string | null;
  title: string | null;
  slug: string | null;
  projected: boolean;
  required: string | number;
  done: string | number;
  next_lesson_id: string | null;
  next_title: string | null;
  next_position: number | null;
  next_position_seconds: number | string | null;
};

const json = (column: string) => sql.raw(`to_json(${column}) #>> '{}'`);

async function readPage(
  db: Queryable,
  userId: string,
  grants: readonly LearnerCourse[],
  subscribed: boolean,
  after: { at: string; courseId: string } | undefined,
  limit: number,
): Promise<Row[]> {
  const ids = `{${grants.map((grant) => grant.courseId).join(",")}}`;
  const times = `{${grants.map((grant) => grant.grantedAt).join(",")}}`;
  const result = await db.execute<Row>(sql`
    with granted as (
      select * from unnest(${ids}::uuid[], ${times}::timestamptz[]) as granted(course_id, granted_at)
    ),
    learning as (
      select course_id, granted_at from granted
      union all
      select started.course_id, null::timestamptz from ${courseProgress} as started
      where ${subscribed} and started.user_id = ${userId} and started.started_at is not null
        and started.course_id not in (select course_id from granted)
    ),
    listed as (
      select learning.course_id, learning.granted_at, mine.started_at, mine.last_activity_at, mine.completed_at,
             coalesce(mine.last_activity_at, learning.granted_at) as sort_at
      from learning
      left join ${courseProgress} as mine on mine.user_id = ${userId} and mine.course_id = learning.course_id
    )
    select listed.course_id, ${json("listed.sort_at")} as sort_at, ${json("listed.granted_at")} as granted_at,
           ${json("listed.started_at")} as started_at, ${json("listed.last_activity_at")} as last_activity_at,
           ${json("listed.completed_at")} as completed_at,
           outline.title, outline.slug, outline.course_id is not null as projected,
           tally.required, tally.done,
           next.lesson_id as next_lesson_id, next.title as next_title, next.position as next_position,
           next.position_seconds as next_position_seconds
    from listed
    left join ${courseOutlines} as outline on outline.course_id = listed.course_id
    left join lateral (
      select count(*) filter (where lesson.required) as required,
             count(*) filter (where lesson.required and mine.completed_at is not null) as done
      from ${courseLessons} as lesson
      left join ${lessonProgress} as mine on mine.lesson_id = lesson.lesson_id and mine.user_id = ${userId}
      where lesson.course_id = listed.course_id
    ) as tally on true
    left join lateral (
      select lesson.lesson_id, lesson.title, lesson.position, mine.position_seconds
      from ${courseLessons} as lesson
      left join ${lessonProgress} as mine on mine.lesson_id = lesson.lesson_id and mine.user_id = ${userId}
      where lesson.course_id = listed.course_id and mine.completed_at is null
      order by lesson.position
      limit 1
    ) as next on true
    where ${after ? sql`(listed.sort_at, listed.course_id) < (${after.at}::timestamptz, ${after.courseId}::uuid)` : sql`true`}
    order by listed.sort_at desc, listed.course_id desc
    limit ${limit + 1}`);
  return result.rows;
}

function itemOf(row: Row, grant: LearnerCourse | undefined): MyLearningItem {
  const tally = { required: Number(row.required ?? 0), done: Number(row.done ?? 0) };
  return {
    courseId: row.course_id,
    // Courses' own title is the freshest; a subscriber's course is known from the projection.
    title: grant?.title ?? row.title ?? "",
    slug: grant?.slug ?? row.slug ?? "",
    via: grant ? [...grant.via].sort() : ["subscription"],
    percent: percentOf(tally),
    requiredLessons: tally.required,
    completedLessons: tally.done,
    grantedAt: isoOrNull(row.granted_at),
    startedAt: isoOrNull(row.started_at),
    lastActivityAt: isoOrNull(row.last_activity_at),
    completedAt: isoOrNull(row.completed_at),
    nextLesson:
      row.next_lesson_id && row.next_title !== null && row.next_position !== null
        ? {
            lessonId: row.next_lesson_id,
            title: row.next_title,
            position: Number(row.next_position),
            positionSeconds: row.next_position_seconds === null ? null : Number(row.next_position_seconds),
          }
        : null,
  };
}

const isoOrNull = (value: string | null) => (value === null ? null : new Date(value).toISOString());

/**
 * The cursor is the last item's (activity or grant time, course id), cut to milliseconds as before the
 * codec was shared (`encodeKeysetCursor` would keep PostgreSQL's microseconds if given them as text).
 */
function encodeCursor(at: string, courseId: string): string {
  return encodeKeysetCursor(new Date(at), courseId);
}

/** Only a cursor `encodeCursor` wrote; anything else is `undefined` (the route answers 400). */
export function decodeCursor(cursor: string): { at: string; courseId: string } | undefined {
  const position = decodeKeysetCursor(cursor);
  return position && { at: position.at, courseId: position.id };
}
