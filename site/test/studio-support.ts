import type { Page } from "playwright-core";
import { GOOD_PASSWORD, api, gatewayUrl, registerAndLogin, type TokenPair } from "../../test/support/api.ts";
import { uniqueSlug } from "../../test/support/courses.ts";
import { db } from "../../test/support/database.ts";

/**
 * What the studio's browser tests share: people with roles who sign in through the site (their
 * email is known) and keep an API token to check what the pages did, courses written straight
 * through the API, and form posts made as a signed-in browser (its cookies, this site's Origin).
 */

export interface Account {
  readonly email: string;
  readonly userId: string;
  /** An API token carrying the roles, for reading back what the site did. */
  readonly token: string;
}

/** A new account with `roles`, signed in again through the API so its token carries them. */
export async function accountWith(roles: readonly string[], tag: string): Promise<Account> {
  const session = await registerAndLogin(tag);
  if (roles.join() === "learner")
    return { email: session.email, userId: session.userId, token: session.tokens.accessToken };
  await db.query("update auth.accounts set roles = $2::auth.role[] where id = $1", [session.userId, roles]);
  const login = await api<TokenPair>("POST", "/api/auth/login", {
    body: { email: session.email, password: GOOD_PASSWORD },
  });
  if (login.status !== 200) throw new Error(`login answered ${login.status}`);
  return { email: session.email, userId: session.userId, token: login.body.accessToken };
}

export async function ok<T>(what: string, answer: Promise<{ status: number; body: T }>, status = 200): Promise<T> {
  const { status: got, body } = await answer;
  if (got !== status) throw new Error(`${what} answered ${got}: ${JSON.stringify(body)}`);
  return body;
}

export interface StudioCourseBody {
  readonly id: string;
  readonly slug: string;
  readonly title: string;
  readonly summary: string;
  readonly description: string;
  readonly descriptionHtml: string;
  readonly language: string;
  readonly level: string;
  readonly status: "draft" | "published" | "archived";
  readonly price: { amountMinor: number; currency: string } | null;
}

export interface ContentBody {
  readonly sections: { id: string; title: string; position: number }[];
  readonly lessons: {
    id: string;
    title: string;
    kind: string;
    sectionId: string | null;
    position: number;
    isPreview: boolean;
    markdown: string | null;
    mediaUrl: string | null;
  }[];
}

/** A draft course written through the API, with the fields given. */
export function apiCourse(author: Account, fields: Record<string, unknown> = {}): Promise<StudioCourseBody> {
  return ok(
    "create course",
    api<StudioCourseBody>("POST", "/api/courses", {
      token: author.token,
      body: { title: "A course in the studio", slug: uniqueSlug("studio"), summary: "Learn.", price: null, ...fields },
    }),
    201,
  );
}

export const readCourse = (author: Account, courseId: string) =>
  ok("read course", api<StudioCourseBody>("GET", `/api/courses/${courseId}`, { token: author.token }));

export const readContent = (author: Account, courseId: string) =>
  ok("read lessons", api<ContentBody>("GET", `/api/courses/${courseId}/lessons`, { token: author.token }));

/** The lessons' titles in the course's own order, each with the title of its section (or null). */
export async function lessonOrder(author: Account, courseId: string): Promise<[string, string | null][]> {
  const content = await readContent(author, courseId);
  const sections = new Map(content.sections.map((section) => [section.id, section.title]));
  return [...content.lessons]
    .sort((a, b) => a.position - b.position)
    .map((lesson) => [lesson.title, lesson.sectionId ? (sections.get(lesson.sectionId) ?? null) : null]);
}

export async function addSection(author: Account, courseId: string, title: string): Promise<string> {
  const section = await ok(
    "add section",
    api<{ id: string }>("POST", `/api/courses/${courseId}/sections`, { token: author.token, body: { title } }),
    201,
  );
  return section.id;
}

export async function addTextLesson(
  author: Account,
  courseId: string,
  title: string,
  sectionId: string | null = null,
): Promise<string> {
  const lesson = await ok(
    "add lesson",
    api<{ id: string }>("POST", `/api/courses/${courseId}/lessons`, {
      token: author.token,
      body: { title, kind: "text", bodyMarkdown: `About ${title}.`, sectionId },
    }),
    201,
  );
  return lesson.id;
}

/**
 * A form post as the signed-in browser makes it (the context's cookies, this site's Origin), not
 * through the page's own form: how a test sends a form a page would not offer its visitor. The
 * redirect is not followed, so the answer is the page's own.
 */
export async function postForm(
  page: Page,
  path: string,
  form: Record<string, string>,
): Promise<{ status: number; location: string | null; html: string }> {
  const response = await page.request.post(`${gatewayUrl}${path}`, {
    form,
    headers: { origin: new URL(gatewayUrl).origin },
    maxRedirects: 0,
  });
  return { status: response.status(), location: response.headers().location ?? null, html: await response.text() };
}

/** The id of the element that has keyboard focus, and its text. */
export function focused(page: Page): Promise<{ text: string; inLesson: string | null; inSection: string | null }> {
  return page.evaluate(() => {
    const active = document.activeElement;
    return {
      text: active?.textContent?.replace(/\s+/g, " ").trim() ?? "",
      inLesson: active?.closest<HTMLElement>("[data-lesson-id]")?.dataset.lessonId ?? null,
      inSection: active?.closest<HTMLElement>("[data-group]")?.dataset.sectionId ?? null,
    };
  });
}
