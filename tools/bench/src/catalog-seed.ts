import pg from "pg";

/** What the catalog benchmarks read: 10,000 published courses with 20 lessons each (200,000 lessons). */
export const SEED_COURSES = 10_000;
export const LESSONS_PER_COURSE = 20;
export const SEED_AUTHOR = "01a21526-e401-7c96-97bd-44a5862d649e"; // the demo instructor

/**
 * The word only course `i` has in its title, so a search for it is a distinct, selective query. It ends
 * in a letter: the catalog matches words by prefix, and `topic1` would also find topic10 … topic1999.
 */
export const topicWord = (i: number) => `topic${i}x`;

/**
 * Seeds the catalog in two set-based statements (seconds, not minutes), once: a second call
 * finds the courses there and does nothing. PostgreSQL 18's uuidv7() gives time-ordered ids.
 */
export async function seedCatalog(databaseUrl: string): Promise<{ courses: number; lessons: number; seconds: number }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const started = performance.now();
  try {
    const { rows } = await client.query<{ n: number }>(
      "select count(*)::int as n from courses.courses where slug like 'bench-%'",
    );
    if ((rows[0]?.n ?? 0) < SEED_COURSES) {
      await client.query("begin");
      await client.query(
        `insert into courses.courses
           (id, author_id, slug, title, summary, language, level, price_amount, price_currency, status, published_at)
         select uuidv7(), $1, 'bench-' || i, 'Bench course ' || i || ' on ' || 'topic' || i || 'x',
                'A seeded course for the catalog benchmark, number ' || i || '.',
                (array['en','de','fr','es','pt-BR'])[1 + i % 5],
                (array['beginner','intermediate','advanced'])[1 + i % 3]::courses.course_level,
                case when i % 4 = 0 then null else 900 + i % 50 * 100 end,
                case when i % 4 = 0 then null else 'EUR' end,
                'published', date_trunc('milliseconds', now() - i * interval '1 second')
         from generate_series(1, $2::int) as i
         on conflict do nothing`,
        [SEED_AUTHOR, SEED_COURSES],
      );
      await client.query(
        `insert into courses.lessons (id, course_id, position, title, kind, body_markdown, is_preview)
         select uuidv7(), c.id, n, 'Lesson ' || n, 'text', '# Lesson ' || n || E'\\n\\nSeeded text.', n = 0
         from courses.courses c cross join generate_series(0, $1::int - 1) as n
         where c.slug like 'bench-%'
         on conflict do nothing`,
        [LESSONS_PER_COURSE],
      );
      await client.query("commit");
      // VACUUM, not only ANALYZE: rows inserted in bulk wait in the GIN search index's pending list, which
      // every search scans in full until (auto)vacuum merges it; measured right after seeding, a search
      // would cost seconds that no settled catalog pays. One statement each: VACUUM refuses a transaction.
      await client.query("vacuum (analyze) courses.courses");
      await client.query("vacuum (analyze) courses.lessons");
    }
    const counts = await client.query<{ courses: number; lessons: number }>(
      `select (select count(*)::int from courses.courses where slug like 'bench-%') as courses,
              (select count(*)::int from courses.lessons l join courses.courses c on c.id = l.course_id where c.slug like 'bench-%') as lessons`,
    );
    const seeded = counts.rows[0] ?? { courses: 0, lessons: 0 };
    return { ...seeded, seconds: (performance.now() - started) / 1000 };
  } catch (error) {
    await client.query("rollback").catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
}

/** One seeded course's id, for the lesson-list benchmark. */
export async function aSeededCourseId(databaseUrl: string): Promise<string> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string }>("select id from courses.courses where slug = 'bench-5000'");
    const id = rows[0]?.id;
    if (!id) throw new Error("the catalog is not seeded");
    return id;
  } finally {
    await client.end();
  }
}
