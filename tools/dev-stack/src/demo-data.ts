import pg from "pg";
import { hashPassword } from "@platform/auth-worker/password";

/**
 * Demo data for a local stack: three people (one per role), two published courses and two
 * all-access plans. Fixed ids
 * make it idempotent: running it again changes nothing, and never overwrites what a developer
 * edited since.
 */
export const DEMO_PASSWORD = "learn-on-the-edge";

export const DEMO_USERS = [
  { id: "01a21526-e400-7ce2-8003-af684743f0c3", email: "admin@demo.local", name: "Ada Admin", roles: ["admin"] },
  {
    id: "01a21526-e401-7c96-97bd-44a5862d649e",
    email: "instructor@demo.local",
    name: "Ines Instructor",
    roles: ["instructor"],
  },
  { id: "01a21526-e402-751f-b19a-ba6549e5aa2f", email: "learner@demo.local", name: "Leo Learner", roles: ["learner"] },
] as const;

const INSTRUCTOR_ID = DEMO_USERS[1].id;

interface DemoLesson {
  id: string;
  title: string;
  markdown: string;
  isPreview: boolean;
}

interface DemoCourse {
  id: string;
  slug: string;
  title: string;
  summary: string;
  description: string;
  level: "beginner" | "intermediate" | "advanced";
  price: { amount: number; currency: string } | null;
  lessons: DemoLesson[];
}

/** All-access plans, so subscriptions can be tried at once. */
export const DEMO_PLANS = [
  {
    id: "01a21526-e410-7a00-8000-00000000a001",
    name: "All access, monthly",
    interval: "month",
    amountMinor: 1900,
    currency: "EUR",
  },
  {
    id: "01a21526-e410-7a00-8000-00000000a002",
    name: "All access, yearly",
    interval: "year",
    amountMinor: 19000,
    currency: "EUR",
  },
] as const;

export const DEMO_COURSES: DemoCourse[] = [
  {
    id: "01a21526-e403-7c7f-8a44-dadd7bb285c2",
    slug: "edge-apis-with-hono",
    title: "Edge APIs with Hono",
    summary: "Build and ship a typed REST API on Cloudflare Workers.",
    description: "Routing, validation with zod, OpenAPI documents and testing in workerd, one step at a time.",
    level: "intermediate",
    price: { amount: 4900, currency: "EUR" },
    lessons: [
      {
        id: "01a21526-e404-7c47-ab4f-120989e9e775",
        title: "Why run at the edge",
        markdown: "Latency is distance. This lesson measures it.",
        isPreview: true,
      },
      {
        id: "01a21526-e405-714d-bf8f-0db9a34eee4a",
        title: "Your first Hono route",
        markdown: "`app.get('/', (c) => c.text('hello'))` and what happens around it.",
        isPreview: false,
      },
      {
        id: "01a21526-e406-7a9a-a823-00d5393707a9",
        title: "Validation and problem details",
        markdown: "Reject bad input early, and say exactly what was wrong (RFC 9457).",
        isPreview: false,
      },
    ],
  },
  {
    id: "01a21526-e407-72ba-837e-8e7f91da02bb",
    slug: "postgres-for-app-developers",
    title: "PostgreSQL for Application Developers",
    summary: "Schemas, transactions and indexes you will actually use.",
    description: "From your first table to the transactional outbox, with real queries on a real database.",
    level: "beginner",
    price: null,
    lessons: [
      {
        id: "01a21526-e408-7f25-9f0b-ff4304430342",
        title: "Tables, keys and constraints",
        markdown: "Let the database refuse bad data for you.",
        isPreview: true,
      },
      {
        id: "01a21526-e409-7e65-ae30-9a02854008a1",
        title: "Transactions",
        markdown: "All or nothing, and why the outbox depends on it.",
        isPreview: false,
      },
    ],
  },
];

export async function seedDemoData(connectionString: string): Promise<void> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query("begin");
    for (const user of DEMO_USERS) {
      const exists = await client.query("select 1 from auth.accounts where id = $1", [user.id]);
      if (exists.rowCount === 0) {
        await client.query(
          "insert into auth.accounts (id, email, password_hash, roles) values ($1, $2, $3, $4::auth.role[]) on conflict do nothing",
          [user.id, user.email, await hashPassword(DEMO_PASSWORD), user.roles],
        );
      }
      // Demo addresses need no confirmation mail: they count as confirmed (also in a data folder from before).
      await client.query(
        "update auth.accounts set email_verified_at = coalesce(email_verified_at, created_at) where id = $1",
        [user.id],
      );
      await client.query("insert into users.profiles (user_id, name) values ($1, $2) on conflict do nothing", [
        user.id,
        user.name,
      ]);
    }
    for (const course of DEMO_COURSES) {
      await client.query(
        `insert into courses.courses
           (id, author_id, slug, title, summary, description, level, price_amount, price_currency, status, published_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'published', date_trunc('milliseconds', now()))
         on conflict do nothing`,
        [
          course.id,
          INSTRUCTOR_ID,
          course.slug,
          course.title,
          course.summary,
          course.description,
          course.level,
          course.price?.amount ?? null,
          course.price?.currency ?? null,
        ],
      );
      for (const [index, lesson] of course.lessons.entries()) {
        await client.query(
          `insert into courses.lessons (id, course_id, position, title, kind, body_markdown, is_preview)
           values ($1, $2, $3, $4, 'text', $5, $6)
           on conflict do nothing`,
          [lesson.id, course.id, index + 1, lesson.title, lesson.markdown, lesson.isPreview],
        );
      }
    }
    for (const plan of DEMO_PLANS) {
      await client.query(
        `insert into payments.plans (id, name, interval, amount_minor, currency) values ($1, $2, $3, $4, $5)
         on conflict do nothing`,
        [plan.id, plan.name, plan.interval, plan.amountMinor, plan.currency],
      );
    }
    await client.query("commit");
  } catch (error) {
    await client.query("rollback").catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
}
