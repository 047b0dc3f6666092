import type pg from "pg";

/**
 * A database with the volume a platform in use reaches, for the query plans of docs/scaling.md
 * (seed-volume-plans.ts): at these sizes PostgreSQL's planner stops choosing sequential scans for
 * small tables, so a plan shows what production would do. Set-based statements only (seconds).
 */
export interface Volume {
  /** Published courses (one in ten more as drafts), each with `lessonsPerCourse` text lessons in two sections. */
  readonly courses: number;
  readonly lessonsPerCourse: number;
  /** Learners, each granted `enrollments / learners` courses, with course and lesson progress on them. */
  readonly learners: number;
  readonly enrollments: number;
  /** Rows in each of the courses and progress outboxes; `pendingShare` of them not yet queued, as many unconfirmed. */
  readonly outboxRows: number;
  readonly pendingShare: number;
  /** Rows in notifications.deliveries (the delivery log), `pendingShare` of them pending. */
  readonly deliveries: number;
  /** Rows in progress.processed_events (every consumer's dedupe marks grow alike). */
  readonly processedEvents: number;
}

export const DEFAULT_VOLUME: Volume = {
  courses: 2_000,
  lessonsPerCourse: 10,
  learners: 10_000,
  enrollments: 50_000,
  outboxRows: 100_000,
  pendingShare: 0.01,
  deliveries: 100_000,
  processedEvents: 100_000,
};

/** The author of every seeded course (the demo instructor's id; no auth row is needed in these schemas). */
export const VOLUME_AUTHOR = "01a21526-e401-7c96-97bd-44a5862d649e";

/** Seeded learner `i`'s id: a fixed UUID shape, so the plans can name one. */
export const volumeLearner = (i: number) => `00000000-0000-7000-8000-${i.toString(16).padStart(12, "0")}`;

const STATEMENTS = (v: Volume): readonly { label: string; sql: string }[] => {
  const perLearner = Math.max(1, Math.round(v.enrollments / v.learners));
  const pending = Math.max(1, Math.round(v.outboxRows * v.pendingShare));
  const outbox = (schema: string) => `
    insert into ${schema}.outbox (id, type, topic, aggregate_id, envelope, created_at, queued_at, queue_sends,
                                  confirmed_at, kafka_published_at)
    select uuidv7(), 'LESSON_COMPLETED', 'progress-events', gen_random_uuid()::text,
           jsonb_build_object('id', gen_random_uuid(), 'type', 'LESSON_COMPLETED', 'data', jsonb_build_object('n', i)),
           now() - (${v.outboxRows} - i) * interval '10 seconds',
           case when i > ${v.outboxRows - pending} then null else now() - (${v.outboxRows} - i) * interval '10 seconds' end,
           case when i > ${v.outboxRows - pending} then 0 else 1 end,
           case when i > ${v.outboxRows - 2 * pending} then null else now() - (${v.outboxRows} - i) * interval '10 seconds' end,
           case when i > ${v.outboxRows - pending} then null else now() - (${v.outboxRows} - i) * interval '10 seconds' end
    from generate_series(1, ${v.outboxRows}) as i`;
  return [
    {
      label: "courses",
      sql: `
        insert into courses.courses (id, author_id, slug, title, summary, title_folded, summary_folded, language, level,
                                     price_amount, price_currency, status, published_at)
        select uuidv7(), '${VOLUME_AUTHOR}', 'volume-' || i, 'Volume course ' || i || ' on topic' || i || 'x',
               'A seeded course about ' || (array['cooking','algebra','guitar','spanish','databases'])[1 + i % 5] || '.',
               'volume course ' || i || ' on topic' || i || 'x',
               'a seeded course about ' || (array['cooking','algebra','guitar','spanish','databases'])[1 + i % 5],
               (array['en','de','fr','es','pt-BR'])[1 + i % 5],
               (array['beginner','intermediate','advanced'])[1 + i % 3]::courses.course_level,
               case when i % 4 = 0 then null else 900 + i % 50 * 100 end,
               case when i % 4 = 0 then null else 'EUR' end,
               case when i % 10 = 0 then 'draft' else 'published' end::courses.course_status,
               case when i % 10 = 0 then null else date_trunc('milliseconds', now() - i * interval '1 hour') end
        from generate_series(1, ${Math.round(v.courses * 1.1)}) as i`,
    },
    {
      label: "sections",
      sql: `
        insert into courses.sections (id, course_id, position, title)
        select uuidv7(), c.id, s, 'Section ' || s from courses.courses c cross join generate_series(0, 1) as s
        where c.slug like 'volume-%'`,
    },
    {
      label: "lessons",
      sql: `
        insert into courses.lessons (id, course_id, section_id, position, title, kind, body_markdown, body_html, is_preview)
        select uuidv7(), c.id, s.id, n, 'Lesson ' || n, 'text', '# Lesson ' || n || E'\\n\\n' || repeat('Seeded text. ', 150),
               '<h1>Lesson ' || n || '</h1><p>' || repeat('Seeded text. ', 150) || '</p>', n = 0
        from courses.courses c cross join generate_series(0, ${v.lessonsPerCourse - 1}) as n
        join courses.sections s on s.course_id = c.id and s.position = n * 2 / ${v.lessonsPerCourse}
        where c.slug like 'volume-%'`,
    },
    {
      label: "enrollments",
      // Learner i holds courses i, i+1, … of the published ones (numbered by row_number), a purchase each.
      sql: `
        with published as (
          select id, row_number() over (order by id) - 1 as k, count(*) over () as total
          from courses.courses where slug like 'volume-%' and status = 'published'
        )
        insert into courses.enrollments (id, user_id, course_id, via, reference, granted_at)
        select uuidv7(), ('00000000-0000-7000-8000-' || lpad(to_hex(l), 12, '0'))::uuid, p.id, 'purchase',
               gen_random_uuid()::text, now() - (l % 365) * interval '1 day'
        from generate_series(1, ${v.learners}) as l cross join generate_series(0, ${perLearner - 1}) as j
        join published p on p.k = (l * 7 + j) % p.total`,
    },
    {
      label: "progress outlines",
      sql: `
        insert into progress.course_outlines (course_id, title, slug)
        select id, title, slug from courses.courses where slug like 'volume-%' and status = 'published'`,
    },
    {
      label: "progress lessons",
      sql: `
        insert into progress.course_lessons (lesson_id, course_id, position, title, kind, is_preview)
        select l.id, l.course_id, l.position, l.title, 'text', l.is_preview
        from courses.lessons l join progress.course_outlines o on o.course_id = l.course_id`,
    },
    {
      label: "course progress",
      sql: `
        insert into progress.course_progress (user_id, course_id, enrolled_at, started_at, last_activity_at, completed_at)
        select e.user_id, e.course_id, e.granted_at, e.granted_at, e.granted_at + interval '1 day',
               case when hashtext(e.id::text) % 5 = 0 then e.granted_at + interval '3 days' end
        from courses.enrollments e join courses.courses c on c.id = e.course_id where c.slug like 'volume-%'`,
    },
    {
      label: "lesson progress",
      // Three lessons viewed per enrolment, the first two completed.
      sql: `
        insert into progress.lesson_progress (user_id, lesson_id, course_id, first_viewed_at, completed_at,
                                              position_seconds, position_updated_at)
        select p.user_id, l.lesson_id, p.course_id, p.started_at,
               case when l.position < 2 then p.started_at + interval '1 hour' end, 30, p.started_at
        from progress.course_progress p
        join progress.course_lessons l on l.course_id = p.course_id and l.position < 3`,
    },
    { label: "courses outbox", sql: outbox("courses") },
    { label: "progress outbox", sql: outbox("progress") },
    {
      label: "processed events",
      sql: `
        insert into progress.processed_events (event_id, type, correlation_id, processed_at)
        select uuidv7(), 'COURSE_ACCESS_GRANTED', gen_random_uuid()::text, now() - (${v.processedEvents} - i) * interval '40 seconds'
        from generate_series(1, ${v.processedEvents}) as i`,
    },
    {
      label: "deliveries",
      sql: `
        insert into notifications.deliveries (id, user_id, channel, category, template, locale, recipient, payload,
                                              status, attempts, next_attempt_at, dedupe_key, created_at, sent_at)
        select uuidv7(), ('00000000-0000-7000-8000-' || lpad(to_hex(1 + i % ${v.learners}), 12, '0'))::uuid,
               (array['email','in_app','push'])[1 + i % 3]::notifications.channel, 'learning', 'lesson-completed', 'en',
               'learner' || i || '@example.test', jsonb_build_object('subject', 'Well done', 'n', i),
               case when i > ${Math.round(v.deliveries * (1 - v.pendingShare))} then 'pending' else 'sent' end::notifications.delivery_status,
               1, now() - (${v.deliveries} - i) * interval '10 seconds', 'volume-' || i,
               now() - (${v.deliveries} - i) * interval '10 seconds',
               case when i > ${Math.round(v.deliveries * (1 - v.pendingShare))} then null else now() - (${v.deliveries} - i) * interval '10 seconds' end
        from generate_series(1, ${v.deliveries}) as i`,
    },
  ];
};

const SEEDED_TABLES = [
  "courses.courses",
  "courses.sections",
  "courses.lessons",
  "courses.enrollments",
  "courses.outbox",
  "progress.course_outlines",
  "progress.course_lessons",
  "progress.course_progress",
  "progress.lesson_progress",
  "progress.outbox",
  "progress.processed_events",
  "notifications.deliveries",
];

/**
 * Seeds `volume` into a migrated, otherwise empty database, once (a second call finds the courses
 * and only vacuums), then VACUUM ANALYZE: the planner's statistics are what a settled database has,
 * and the GIN search index's pending list is merged (bulk inserts wait there until a vacuum).
 */
export async function seedVolume(
  client: pg.Client,
  volume: Volume = DEFAULT_VOLUME,
  say: (message: string) => void = () => {},
): Promise<void> {
  const { rows } = await client.query<{ n: number }>(
    "select count(*)::int as n from courses.courses where slug like 'volume-%'",
  );
  if ((rows[0]?.n ?? 0) === 0) {
    await client.query("begin");
    try {
      for (const statement of STATEMENTS(volume)) {
        const started = performance.now();
        const result = await client.query(statement.sql);
        say(
          `  ${statement.label}: ${result.rowCount ?? 0} rows (${((performance.now() - started) / 1000).toFixed(1)} s)`,
        );
      }
      await client.query("commit");
    } catch (error) {
      await client.query("rollback");
      throw error;
    }
  }
  for (const table of SEEDED_TABLES) await client.query(`vacuum (analyze) ${table}`);
}

/** Row counts of the seeded tables, for the record beside the plans. */
export async function tableSizes(client: pg.Client): Promise<{ table: string; rows: number }[]> {
  const sizes: { table: string; rows: number }[] = [];
  for (const table of SEEDED_TABLES) {
    const { rows } = await client.query<{ n: number }>(`select count(*)::int as n from ${table}`);
    sizes.push({ table, rows: rows[0]?.n ?? 0 });
  }
  return sizes;
}
