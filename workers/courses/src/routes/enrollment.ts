import { OpenAPIHono, z } from "@hono/zod-openapi";
import { requirePrincipal } from "@platform/http-kit";
import { defineRoute, json, problem, signedIn } from "@platform/service-kit";
import { enrollInFreeCourse } from "../enrollments.ts";
import type { CoursesEnv } from "../env.ts";
import { courseIdParam, eventContext } from "./schemas.ts";

const enrollmentView = z
  .object({
    courseId: z.uuid(),
    userId: z.uuid(),
    via: z.literal("free_enrollment"),
    grantedAt: z.iso.datetime({ offset: true }),
  })
  .openapi("Enrollment");

const enroll = defineRoute(signedIn, {
  method: "post",
  operationId: "enrollInCourse",
  path: "/api/courses/{id}/enroll",
  summary: "Join a free course",
  tags: ["courses"],
  request: { params: courseIdParam },
  responses: {
    201: { description: "Enrolled", content: json(enrollmentView) },
    200: {
      description: "Already enrolled",
      content: json(z.object({ courseId: z.uuid(), status: z.literal("already-enrolled") })),
    },
    400: problem("Invalid id"),
    404: problem("No such published course"),
    409: problem("The course is paid: buy it instead"),
  },
});

export const enrollmentRoutes = new OpenAPIHono<CoursesEnv>().openapi(enroll, async (c) => {
  const { userId } = requirePrincipal(c);
  const enrolled = await enrollInFreeCourse(c.var.database().db, userId, c.req.valid("param").id, eventContext(c));
  if (enrolled.status === "already-enrolled")
    return c.json({ courseId: enrolled.courseId, status: "already-enrolled" as const }, 200);
  const { enrollment } = enrolled;
  return c.json(
    {
      courseId: enrollment.courseId,
      userId,
      via: "free_enrollment" as const,
      grantedAt: enrollment.grantedAt.toISOString(),
    },
    201,
  );
});
