import pg from "pg";
import { inject } from "vitest";
import { buildEvent, outboxRowOf, type EventData, type EventType } from "@platform/events";
import { triggerOutboxSweep } from "@platform/dev-stack";
import { GOOD_PASSWORD, api, gatewayUrl, registerAndLogin, type TokenPair } from "../../../test/support/api.ts";

/** Shared by the courses platform tests: people in each role, and events as other services write them. */
export const db = new pg.Pool({ connectionString: inject("databaseUrl") });

export interface Person {
  readonly userId: string;
  readonly token: string;
}

/** A new account with the given roles (set in the auth schema, then signed in again for a token carrying them). */
export async function personWith(roles: string[], tag: string): Promise<Person> {
  const session = await registerAndLogin(tag);
  if (roles.join() === "learner") return { userId: session.userId, token: session.tokens.accessToken };
  await db.query("update auth.accounts set roles = $2::auth.role[] where id = $1", [session.userId, roles]);
  const login = await api<TokenPair>("POST", "/api/auth/login", { body: { email: session.email, password: GOOD_PASSWORD } });
  if (login.status !== 200) throw new Error(`login answered ${login.status}`);
  return { userId: session.userId, token: login.body.accessToken };
}

export const instructor = (tag: string) => personWith(["instructor"], tag);
export const admin = (tag: string) => personWith(["admin"], tag);
export const learner = (tag: string) => personWith(["learner"], tag);

/**
 * Writes an event into another service's outbox, as that service would with its change, and
 * runs the sweep: the payments worker is not built yet, so its events are written for it.
 */
export async function emitAs<T extends EventType>(schema: string, type: T, data: EventData<T>, correlationId = "test") {
  const event = buildEvent(type, data, { source: schema, correlationId });
  const row = outboxRowOf(event);
  await db.query(`insert into ${schema}.outbox (id, type, topic, aggregate_id, envelope) values ($1, $2, $3, $4, $5)`, [
    row.id,
    row.type,
    row.topic,
    row.aggregateId,
    JSON.stringify(row.envelope),
  ]);
  await triggerOutboxSweep(gatewayUrl);
  return event;
}

export interface CourseBody {
  id: string;
  slug: string;
  status: string;
  price: { amountMinor: number; currency: string } | null;
}

let counter = 0;
export function uniqueSlug(tag: string): string {
  counter += 1;
  return `${tag}-${process.pid}-${Date.now().toString(36)}-${counter}`;
}

/** A published course with text lessons (the first one a free preview). */
export async function publishedCourse(
  author: Person,
  options: { price?: { amountMinor: number; currency: string } | null; title?: string; summary?: string; language?: string } = {},
): Promise<CourseBody> {
  const created = await api<CourseBody>("POST", "/api/courses", {
    token: author.token,
    body: {
      title: options.title ?? "A course to learn from",
      slug: uniqueSlug("course"),
      summary: options.summary ?? "Learn something real.",
      language: options.language ?? "en",
      price: options.price === undefined ? null : options.price,
    },
  });
  if (created.status !== 201) throw new Error(`create answered ${created.status} ${JSON.stringify(created.body)}`);
  for (const [index, title] of ["Preview lesson", "Second lesson", "Third lesson"].entries()) {
    const lesson = await api("POST", `/api/courses/${created.body.id}/lessons`, {
      token: author.token,
      body: { title, kind: "text", bodyMarkdown: `# ${title}\n\nBody ${index}.`, isPreview: index === 0 },
    });
    if (lesson.status !== 201) throw new Error(`add lesson answered ${lesson.status}`);
  }
  const published = await api<CourseBody>("POST", `/api/courses/${created.body.id}/publish`, { token: author.token });
  if (published.status !== 200) throw new Error(`publish answered ${published.status} ${JSON.stringify(published.body)}`);
  return published.body;
}
