import { Hono } from "hono";
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from "jose";
import type pg from "pg";
import { presentCourse, presentOutline } from "./present.ts";
import { courseWithAccess, lessonsOf, sectionsOf, type CourseRow } from "./queries.ts";

export interface PeerOptions {
  readonly db: pg.Pool;
  /** The platform's published keys, issuer and audience: the peer checks the same access tokens. */
  readonly jwks: JSONWebKeySet;
  readonly issuer: string;
  readonly audience: string;
}

interface Viewer {
  readonly userId: string;
  readonly roles: readonly string[];
}

const notFound = () =>
  Response.json(
    { type: "about:blank", title: "Not Found", status: 404, detail: "No such course." },
    { status: 404, headers: { "content-type": "application/problem+json" } },
  );
const unauthorized = () =>
  Response.json(
    { type: "about:blank", title: "Unauthorized", status: 401 },
    { status: 401, headers: { "content-type": "application/problem+json" } },
  );

/**
 * A plain Hono app on Node serving the platform's course page and lesson list from the same
 * rows: no gateway, no service binding, no per-request connection, no cache. What the same work
 * costs on the most ordinary stack, for the CPU-per-request comparison.
 */
export function peerApp(options: PeerOptions): Hono {
  const keys = createLocalJWKSet(options.jwks);
  const viewerOf = async (authorization: string | undefined): Promise<Viewer | undefined | "invalid"> => {
    if (!authorization) return undefined;
    const token = /^Bearer (.+)$/.exec(authorization)?.[1];
    if (!token) return "invalid";
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer: options.issuer,
        audience: options.audience,
        algorithms: ["EdDSA"],
      });
      if (typeof payload.sub !== "string") return "invalid";
      const roles = Array.isArray(payload.roles) ? payload.roles.filter((r): r is string => typeof r === "string") : [];
      return { userId: payload.sub, roles };
    } catch {
      return "invalid";
    }
  };
  const canEdit = (course: CourseRow, viewer: Viewer | undefined) =>
    viewer !== undefined && (viewer.userId === course.author_id || viewer.roles.includes("admin"));

  const coursePage = async (lookup: { id: string } | { slug: string }, authorization: string | undefined) => {
    const viewer = await viewerOf(authorization);
    if (viewer === "invalid") return unauthorized();
    const course = await courseWithAccess(options.db, lookup, viewer?.userId);
    if (!course) return notFound();
    const visible =
      course.status === "published" ||
      canEdit(course, viewer) ||
      (course.status === "archived" && course.viewer_has_access);
    if (!visible) return notFound();
    return Response.json(presentCourse(course));
  };

  const app = new Hono();
  app.get("/api/courses/by-slug/:slug", (c) =>
    coursePage({ slug: c.req.param("slug") }, c.req.header("authorization")),
  );
  app.get("/api/courses/:id{[0-9a-f-]{36}}", (c) =>
    coursePage({ id: c.req.param("id") }, c.req.header("authorization")),
  );
  app.get("/api/courses/:id{[0-9a-f-]{36}}/lessons", async (c) => {
    const viewer = await viewerOf(c.req.header("authorization"));
    if (viewer === "invalid") return unauthorized();
    const courseId = c.req.param("id");
    const course = await courseWithAccess(options.db, { id: courseId }, viewer?.userId);
    if (!course) return notFound();
    const author = canEdit(course, viewer);
    const open = author || course.viewer_has_access;
    if (course.status === "draft" && !author) return notFound();
    if (course.status === "archived" && !open) return notFound();
    const [sections, lessons] = await Promise.all([sectionsOf(options.db, courseId), lessonsOf(options.db, courseId)]);
    return Response.json(presentOutline(course, sections, lessons, open, author));
  });
  return app;
}
