import pg from "pg";

// The peer reads the courses schema directly, one plain SQL statement per question, on a pool
// of long-lived connections: what a Node service in front of PostgreSQL usually does.

export interface CourseRow {
  readonly id: string;
  readonly author_id: string;
  readonly slug: string;
  readonly title: string;
  readonly summary: string;
  readonly description: string;
  readonly description_html: string | null;
  readonly language: string;
  readonly level: string;
  readonly price_amount: number | null;
  readonly price_currency: string | null;
  readonly status: "draft" | "published" | "archived";
  /** Timestamps as PostgreSQL writes them (see `pool`), turned into Dates the way drizzle does. */
  readonly created_at: string;
  readonly updated_at: string;
  readonly published_at: string | null;
  readonly cover_image_key: string | null;
  readonly viewer_has_access: boolean;
}

export interface SectionRow {
  readonly id: string;
  readonly title: string;
  readonly position: number;
}

export interface LessonRow {
  readonly id: string;
  readonly section_id: string | null;
  readonly position: number;
  readonly title: string;
  readonly kind: "video" | "text" | "file";
  readonly is_preview: boolean;
  readonly duration_seconds: number | null;
  readonly body_markdown: string | null;
  readonly body_html: string | null;
  readonly media_key: string | null;
}

/**
 * Ten connections, opened once and kept. timestamptz comes back as PostgreSQL's text and is
 * parsed with `new Date(text)`, exactly as the platform's drizzle does, so both print the same
 * milliseconds.
 */
export function pool(databaseUrl: string): pg.Pool {
  return new pg.Pool({
    connectionString: databaseUrl,
    max: 10,
    types: {
      getTypeParser: ((oid: number, format?: "text" | "binary") =>
        oid === pg.types.builtins.TIMESTAMPTZ
          ? (value: string) => value
          : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
}

/** The course and, in the same statement, whether this viewer holds access (a grant or a running subscription). */
export async function courseWithAccess(
  db: pg.Pool,
  lookup: { readonly id: string } | { readonly slug: string },
  viewerId: string | undefined,
): Promise<CourseRow | undefined> {
  const { rows } = await db.query<CourseRow>(
    `select c.*, ($2::uuid is not null and (
        exists (select 1 from courses.enrollments e
                where e.user_id = $2::uuid and e.course_id = c.id and e.revoked_at is null)
        or exists (select 1 from courses.subscription_access s
                   where s.user_id = $2::uuid and (s.ends_at is null or s.ends_at > now())))) as viewer_has_access
     from courses.courses c where ${"id" in lookup ? "c.id = $1::uuid" : "c.slug = $1"}`,
    ["id" in lookup ? lookup.id : lookup.slug, viewerId ?? null],
  );
  return rows[0];
}

export async function sectionsOf(db: pg.Pool, courseId: string): Promise<SectionRow[]> {
  const { rows } = await db.query<SectionRow>(
    "select id, title, position from courses.sections where course_id = $1 order by position",
    [courseId],
  );
  return rows;
}

export async function lessonsOf(db: pg.Pool, courseId: string): Promise<LessonRow[]> {
  const { rows } = await db.query<LessonRow>(
    `select id, section_id, position, title, kind, is_preview, duration_seconds, body_markdown, body_html, media_key
     from courses.lessons where course_id = $1 order by position`,
    [courseId],
  );
  return rows;
}
