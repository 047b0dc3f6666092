import pg from "pg";
import { hashPassword } from "@platform/auth-worker/password";
import { DEMO_PASSWORD, DEMO_USERS } from "@platform/dev-stack";
import { courseDescriptionMarkdown, lessonMarkdown } from "./lesson-markdown.ts";

/**
 * What the read-path scenarios read: one published text course written through the API as its
 * author would (so whatever the courses worker does when content is written, rendering
 * included, has been done), learners with access to it, and on demand published copies of it
 * that nobody has read yet, for reads that must miss every cache.
 */
export const READ_PATH_SLUG = "bench-read-path";
export const READ_PATH_LESSONS = 20;
const SECTIONS = ["Measuring", "Changing one thing at a time"];

/**
 * Learners with access, signed in and taken in turn. The gateway limits each signed-in user to
 * 600 API requests a minute; 200 of them carry 2,000 req/s for a whole minute, more than any
 * flat-out run here reaches.
 */
export const LEARNERS = 200;
/** Cheap on purpose (1 MiB scrypt): signing 200 learners in must not take a minute. */
const LEARNER_HASH_COST = { ln: 10, r: 8, p: 1 } as const;
const INSTRUCTOR = DEMO_USERS[1];

const learnerId = (i: number) => `01a21526-e4ff-7000-8000-${i.toString(16).padStart(12, "0")}`;
const learnerEmail = (i: number) => `bench-learner-${i}@bench.local`;
/** TEST-NET-2 style addresses from the benchmarking range, apart from the load generators' (client-addresses.ts). */
const seedAddress = (i: number) => `198.19.${200 + (i >> 8)}.${i & 0xff}`;

export interface ReadPathData {
  readonly courseId: string;
  readonly slug: string;
  /** Ids of published copies of the course (lessons and sections too) that no earlier call returned. */
  freshCourses(count: number): Promise<string[]>;
}

const seeded = new Map<string, Promise<ReadPathData>>();

/** Seeds once per database, however many scenarios and modes ask; `gatewayUrl` writes the course. */
export function readPathData(databaseUrl: string, gatewayUrl: string, say: (message: string) => void) {
  let data = seeded.get(databaseUrl);
  if (!data) {
    data = seed(databaseUrl, gatewayUrl, say);
    seeded.set(databaseUrl, data);
  }
  return data;
}

async function seed(databaseUrl: string, gatewayUrl: string, say: (message: string) => void): Promise<ReadPathData> {
  const started = performance.now();
  await seedLearners(databaseUrl);
  const courseId = (await existingCourse(databaseUrl)) ?? (await writeCourse(gatewayUrl));
  await grantAccess(databaseUrl, courseId);
  say(
    `read path: course ${courseId} (${READ_PATH_LESSONS} text lessons) and ${LEARNERS} learners with access ` +
      `(${((performance.now() - started) / 1000).toFixed(1)} s)`,
  );
  let copied = 0;
  // One request for copies at a time: each numbers its copies after the ones before it.
  let queue: Promise<unknown> = Promise.resolve();
  return {
    courseId,
    slug: READ_PATH_SLUG,
    freshCourses(count) {
      const next = queue.then(async () => {
        const fresh = await copyCourse(databaseUrl, courseId, count, copied);
        copied += count;
        return fresh;
      });
      queue = next.catch(() => {});
      return next;
    },
  };
}

async function withClient<T>(databaseUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function seedLearners(databaseUrl: string): Promise<void> {
  const hash = await hashPassword(DEMO_PASSWORD, LEARNER_HASH_COST);
  const ids = Array.from({ length: LEARNERS }, (_, i) => learnerId(i));
  const emails = Array.from({ length: LEARNERS }, (_, i) => learnerEmail(i));
  await withClient(databaseUrl, async (client) => {
    await client.query(
      `insert into auth.accounts (id, email, password_hash, roles)
       select id, email, $3, array['learner']::auth.role[] from unnest($1::uuid[], $2::text[]) as l(id, email)
       on conflict do nothing`,
      [ids, emails, hash],
    );
    await client.query(
      `insert into users.profiles (user_id, name)
       select id, 'Bench learner ' || n from unnest($1::uuid[]) with ordinality as l(id, n)
       on conflict do nothing`,
      [ids],
    );
  });
}

async function existingCourse(databaseUrl: string): Promise<string | undefined> {
  return await withClient(databaseUrl, async (client) => {
    const { rows } = await client.query<{ id: string }>(
      "select id from courses.courses where slug = $1 and status = 'published'",
      [READ_PATH_SLUG],
    );
    return rows[0]?.id;
  });
}

/** Through the API, as the demo instructor: create, two sections, the lessons, publish. */
async function writeCourse(gatewayUrl: string): Promise<string> {
  const token = await signIn(gatewayUrl, INSTRUCTOR.email, seedAddress(255));
  const call = async <T>(method: string, path: string, body: unknown, expected: number): Promise<T> => {
    const response = await fetch(new URL(path, gatewayUrl), {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        "content-type": "application/json",
        "cf-connecting-ip": seedAddress(255),
      },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status !== expected) {
      throw new Error(
        `Seeding the read-path course: ${method} ${path} answered ${response.status}: ${text.slice(0, 500)}`,
      );
    }
    return JSON.parse(text) as T;
  };
  const course = await call<{ id: string }>(
    "POST",
    "/api/courses",
    {
      title: "Fast reads at the edge",
      slug: READ_PATH_SLUG,
      summary: "What a read costs, where it goes, and how to make an uncached page cheap.",
      description: courseDescriptionMarkdown(),
      level: "intermediate",
      price: null,
    },
    201,
  );
  const sections: string[] = [];
  for (const title of SECTIONS) {
    sections.push((await call<{ id: string }>("POST", `/api/courses/${course.id}/sections`, { title }, 201)).id);
  }
  for (let lesson = 0; lesson < READ_PATH_LESSONS; lesson++) {
    await call(
      "POST",
      `/api/courses/${course.id}/lessons`,
      {
        title: `Lesson ${lesson + 1}`,
        kind: "text",
        sectionId: sections[lesson < READ_PATH_LESSONS / 2 ? 0 : 1],
        bodyMarkdown: lessonMarkdown(lesson),
        isPreview: lesson === 0,
      },
      201,
    );
  }
  await call("POST", `/api/courses/${course.id}/publish`, {}, 200);
  return course.id;
}

/** Every bench learner may open the course (an integrator grant, as an enrollment from outside would be). */
async function grantAccess(databaseUrl: string, courseId: string): Promise<void> {
  await withClient(databaseUrl, async (client) => {
    await client.query(
      `insert into courses.enrollments (id, user_id, course_id, via, reference)
       select uuidv7(), id, $2, 'integrator', 'bench-read-path' from unnest($1::uuid[]) as l(id)
       on conflict do nothing`,
      [Array.from({ length: LEARNERS }, (_, i) => learnerId(i)), courseId],
    );
  });
}

async function columnsOf(client: pg.Client, table: string): Promise<string[]> {
  const { rows } = await client.query<{ column_name: string }>(
    `select column_name from information_schema.columns
     where table_schema = 'courses' and table_name = $1 order by ordinal_position`,
    [table],
  );
  return rows.map((row) => row.column_name);
}

/** Every column copied as it is, except those given: whatever columns the table has today. */
function copyList(columns: readonly string[], replaced: Readonly<Record<string, string>>, from: string) {
  return {
    names: columns.map((column) => `"${column}"`).join(", "),
    values: columns.map((column) => replaced[column] ?? `${from}."${column}"`).join(", "),
  };
}

/**
 * `count` published copies of the course in three set-based statements, rows copied whole
 * (stored HTML included), with new ids and slugs: as costly to read as the original, and in
 * nobody's cache.
 */
async function copyCourse(databaseUrl: string, courseId: string, count: number, offset: number): Promise<string[]> {
  return await withClient(databaseUrl, async (client) => {
    await client.query("begin");
    try {
      await client.query(
        `create temporary table copies on commit drop as
         select n, uuidv7() as id from generate_series($1::int + 1, $1::int + $2::int) as n`,
        [offset, count],
      );
      const courses = copyList(
        await columnsOf(client, "courses"),
        { id: "k.id", slug: "c.slug || '-copy-' || k.n" },
        "c",
      );
      await client.query(
        `insert into courses.courses (${courses.names}) select ${courses.values}
         from courses.courses c cross join copies k where c.id = $1`,
        [courseId],
      );
      await client.query(
        `create temporary table section_copies on commit drop as
         select k.n, k.id as course_id, s.id as original, uuidv7() as id
         from copies k cross join courses.sections s where s.course_id = $1`,
        [courseId],
      );
      const sections = copyList(await columnsOf(client, "sections"), { id: "sc.id", course_id: "sc.course_id" }, "s");
      await client.query(
        `insert into courses.sections (${sections.names}) select ${sections.values}
         from courses.sections s join section_copies sc on sc.original = s.id`,
      );
      const lessons = copyList(
        await columnsOf(client, "lessons"),
        { id: "uuidv7()", course_id: "k.id", section_id: "sc.id" },
        "l",
      );
      await client.query(
        `insert into courses.lessons (${lessons.names}) select ${lessons.values}
         from courses.lessons l cross join copies k
         left join section_copies sc on sc.original = l.section_id and sc.n = k.n
         where l.course_id = $1`,
        [courseId],
      );
      const { rows } = await client.query<{ id: string }>("select id from copies order by n");
      await client.query("commit");
      return rows.map((row) => row.id);
    } catch (error) {
      await client.query("rollback").catch(() => {});
      throw error;
    }
  });
}

/**
 * One sign-in. Retried twice, a second apart, after a 5xx, an answer without a token or a refused
 * connection: `wrangler dev` reloads a worker when its sources change, and a seed step should not
 * fail the run for that.
 */
async function signIn(gatewayUrl: string, email: string, address: string, attemptsLeft = 3): Promise<string> {
  let failure: string;
  try {
    const response = await fetch(new URL("/api/auth/login", gatewayUrl), {
      method: "POST",
      headers: { "content-type": "application/json", "cf-connecting-ip": address },
      body: JSON.stringify({ email, password: DEMO_PASSWORD }),
    });
    const text = await response.text();
    const token = (() => {
      try {
        return (JSON.parse(text) as { accessToken?: unknown }).accessToken;
      } catch {
        return undefined;
      }
    })();
    if (response.ok && typeof token === "string") return token;
    if (response.status >= 400 && response.status < 500) {
      throw new Error(`Signing ${email} in answered ${response.status}: ${text.slice(0, 300)}`);
    }
    // A 5xx, or a 200 that is not a token (a worker answering mid-reload): worth another try.
    failure = `answered ${response.status}: ${text.slice(0, 300)}`;
  } catch (error) {
    if (error instanceof Error && error.message.startsWith("Signing")) throw error;
    failure = `failed: ${String((error as Error).cause ?? error)}`;
  }
  if (attemptsLeft <= 1) throw new Error(`Signing ${email} in at ${gatewayUrl} ${failure}.`);
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  return await signIn(gatewayUrl, email, address, attemptsLeft - 1);
}

/** Access tokens live 15 minutes; a set older than this is signed in again. */
const TOKENS_FRESH_FOR_MS = 10 * 60_000;
const tokenSets = new Map<string, { at: number; tokens: Promise<string[]> }>();

/**
 * Every bench learner signed in through this gateway (tokens are issued for one stack: its
 * issuer and keys), a few at a time, each from an address of its own (sign-in is limited per
 * client).
 */
export function learnerTokens(gatewayUrl: string): Promise<string[]> {
  const cached = tokenSets.get(gatewayUrl);
  if (cached && Date.now() - cached.at < TOKENS_FRESH_FOR_MS) return cached.tokens;
  const tokens = (async () => {
    const signedIn: string[] = new Array<string>(LEARNERS);
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < LEARNERS; i = next++)
        signedIn[i] = await signIn(gatewayUrl, learnerEmail(i), seedAddress(i));
    };
    await Promise.all(Array.from({ length: 4 }, worker));
    return signedIn;
  })();
  tokenSets.set(gatewayUrl, { at: Date.now(), tokens });
  tokens.catch(() => tokenSets.delete(gatewayUrl));
  return tokens;
}
