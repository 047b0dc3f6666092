import { OpenAPIHono, createRoute, z } from "@hono/zod-openapi";
import { ProblemError, requirePrincipal } from "@platform/http-kit";
import { problemContent } from "@platform/http-kit/openapi";
import { hasAccess } from "../access.ts";
import { grantAccess } from "../enrollments.ts";
import type { CoursesEnv } from "../env.ts";
import { findCourse } from "../permissions.ts";
import { courseIdParam, json, security } from "./schemas.ts";

const enrollmentView = z
  .object({ courseId: z.uuid(), userId: z.uuid(), via: z.literal("free_enrollment"), grantedAt: z.iso.datetime({ offset: true }) })
  .openapi("Enrollment");

const enroll = createRoute({
  method: "post",
  path: "/api/courses/{id}/enroll",
  summary: "Join a free course",
  tags: ["courses"],
  security,
  request: { params: courseIdParam },
  responses: {
    201: { description: "Enrolled", content: json(enrollmentView) },
    200: { description: "Already enrolled", content: json(z.object({ courseId: z.uuid(), status: z.literal("already-enrolled") })) },
    400: { description: "Invalid id", content: problemContent },
    401: { description: "Not signed in", content: problemContent },
    404: { description: "No such published course", content: problemContent },
    409: { description: "The course is paid: buy it instead", content: problemContent },
  },
});

export const enrollmentRoutes = new OpenAPIHono<CoursesEnv>().openapi(enroll, async (c) => {
  const principal = requirePrincipal(c);
  const db = c.var.database().db;
  const course = await findCourse(db, c.req.valid("param").id);
  if (!course || course.status !== "published") throw new ProblemError("not-found", { detail: "No such published course." });
  if (course.priceAmount !== null) {
    throw new ProblemError("conflict", {
      detail: `This course is paid; buy it with POST /api/payments/courses/${course.id}.`,
    });
  }
  const granted = await db.transaction((tx) =>
    grantAccess(tx, { userId: principal.userId, courseId: course.id, via: "free_enrollment", reference: "free" }, {
      correlationId: c.var.correlationId,
    }),
  );
  if (!granted) {
    // Enrolled before (or has access another way): nothing new to grant.
    if (await hasAccess(db, principal.userId, course.id)) return c.json({ courseId: course.id, status: "already-enrolled" as const }, 200);
    throw new ProblemError("conflict", { detail: "Your enrollment in this course was withdrawn." });
  }
  return c.json(
    { courseId: course.id, userId: principal.userId, via: "free_enrollment" as const, grantedAt: granted.grantedAt.toISOString() },
    201,
  );
});
