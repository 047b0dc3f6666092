import type { AstroCookies } from "astro";
import { signInAgain, signInFirst } from "./account-pages";
import { callApi, type ApiCaller } from "./api";
import type { Session } from "./session";

/**
 * Who may use the studio, and the course a studio page edits. The API decides every action (the
 * course's author holding the instructor role, or an admin: docs/courses.md); these checks only
 * keep a page from offering what its visitor cannot do, and answer a clear 403 page instead of a
 * form that would fail.
 */

export type CourseStatus = "draft" | "published" | "archived";
export type CourseLevel = "beginner" | "intermediate" | "advanced";
export const COURSE_LEVELS: readonly CourseLevel[] = ["beginner", "intermediate", "advanced"];

export interface Price {
  readonly amountMinor: number;
  readonly currency: string;
}

/** A course as `GET /api/courses/{id}` answers its author. */
export interface StudioCourse {
  readonly id: string;
  readonly slug: string;
  readonly title: string;
  readonly summary: string;
  readonly description: string;
  readonly descriptionHtml: string;
  readonly language: string;
  readonly level: CourseLevel;
  readonly coverImageUrl: string | null;
  readonly price: Price | null;
  readonly status: CourseStatus;
  readonly authorId: string;
  readonly updatedAt: string;
  readonly publishedAt: string | null;
}

/** A row of `GET /api/courses/mine`: the course with its learner counts. */
export interface MyCourse extends StudioCourse {
  readonly enrolled: number;
  readonly completed: number;
}

/** Instructors and admins see the studio; everyone else is told they cannot. */
export function isAuthor(session: Pick<Session, "roles"> | null): boolean {
  return session?.roles.some((role) => role === "instructor" || role === "admin") ?? false;
}

/** The API's authoring rule, mirrored: an admin, or the course's author who (still) holds the instructor role. */
export function mayEdit(session: Pick<Session, "roles" | "userId">, course: Pick<StudioCourse, "authorId">): boolean {
  if (session.roles.includes("admin")) return true;
  return session.roles.includes("instructor") && course.authorId === session.userId;
}

/**
 * Why a studio page shows no editor, which decides its HTTP status and its message: not an author
 * at all, someone else's course, no such course (or someone else's draft), or the API is down.
 */
export type Refusal = "forbidden" | "not-yours" | "not-found" | "unavailable";

export const REFUSAL_STATUS: Readonly<Record<Refusal, number>> = {
  forbidden: 403,
  "not-yours": 403,
  "not-found": 404,
  unavailable: 503,
};

interface StudioContext extends ApiCaller {
  readonly locals: { readonly session: Session | null };
  readonly cookies: AstroCookies;
  readonly url: URL;
  redirect(path: string, status: 303): Response;
}

export type StudioGate =
  | { readonly kind: "redirect"; readonly response: Response }
  | { readonly kind: "refused"; readonly refusal: Refusal }
  | { readonly kind: "ok"; readonly session: Session };

/** The first check of every studio page: signed out → sign in (and back); not an author → 403. */
export function studioGate(context: StudioContext): StudioGate {
  const session = context.locals.session;
  if (!session) return { kind: "redirect", response: context.redirect(signInFirst(context.url), 303) };
  if (!isAuthor(session)) return { kind: "refused", refusal: "forbidden" };
  return { kind: "ok", session };
}

export type CourseGate =
  | { readonly kind: "redirect"; readonly response: Response }
  | { readonly kind: "refused"; readonly refusal: Refusal }
  | { readonly kind: "ok"; readonly session: Session; readonly course: StudioCourse };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string | null | undefined): value is string => !!value && UUID.test(value);

/**
 * The course a studio page under `/studio/courses/{id}` edits, read as the visitor. Someone else's
 * draft is a 404 (the API does not show it to them); someone else's published course is readable
 * by anyone, so the page refuses it itself (403) rather than offer forms the API would refuse.
 */
export async function courseGate(context: StudioContext, courseId: string | undefined): Promise<CourseGate> {
  const gate = studioGate(context);
  if (gate.kind !== "ok") return gate;
  if (!isUuid(courseId)) return { kind: "refused", refusal: "not-found" };
  const read = await callApi<StudioCourse>(context, `/api/courses/${courseId}`);
  if (read.status === 401) return { kind: "redirect", response: signInAgain(context) };
  if (!read.ok) {
    return { kind: "refused", refusal: read.status === 404 || read.status === 400 ? "not-found" : "unavailable" };
  }
  if (!mayEdit(gate.session, read.data)) return { kind: "refused", refusal: "not-yours" };
  return { kind: "ok", session: gate.session, course: read.data };
}

/** The studio's addresses, in one place so pages and redirects agree. */
export const studioPaths = {
  home: "/studio",
  newCourse: "/studio/courses/new",
  course: (id: string) => `/studio/courses/${id}`,
  outline: (id: string) => `/studio/courses/${id}/outline`,
  newLesson: (id: string) => `/studio/courses/${id}/lessons/new`,
  lesson: (id: string, lessonId: string) => `/studio/courses/${id}/lessons/${lessonId}`,
  publish: (id: string) => `/studio/courses/${id}/publish`,
  analytics: (id: string) => `/studio/courses/${id}/analytics`,
} as const;

/** A stored file as its uploader shows it: its address and the name that ends it (`…/my%20cover.png` → `my cover.png`). */
export function storedFile(url: string | null, origin: string): { fileName: string; href: string } | null {
  if (!url) return null;
  return { fileName: decodeURIComponent(new URL(url, origin).pathname.split("/").pop() ?? ""), href: url };
}
