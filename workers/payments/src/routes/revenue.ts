import { OpenAPIHono, z } from "@hono/zod-openapi";
import type { CourseEditRights, CourseEditRightsRpc } from "@platform/contracts";
import { ProblemError, requirePrincipal, type FieldError } from "@platform/http-kit";
import { anyRole, defineRoute, json, problem } from "@platform/service-kit";
import { courseRevenue } from "../course-revenue.ts";
import type { PaymentsEnv } from "../env.ts";

/** A page of the studio's course list is 20; 50 leaves room without letting one request sum the whole table. */
export const MAX_REVENUE_COURSES = 50;

const authorsOnly = "Only a course's author or an admin can see its revenue.";

/** `?courseId=a&courseId=b`: one id arrives as a string, several as an array; both become a list. */
const courseIds = z
  .preprocess(
    (value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]),
    z
      .array(z.uuid())
      .min(1, "Name at least one course: ?courseId=<id>")
      .max(MAX_REVENUE_COURSES, `At most ${MAX_REVENUE_COURSES} courses at a time`),
  )
  .openapi({
    param: { name: "courseId", in: "query", style: "form", explode: true },
    description: `The courses, repeated: \`?courseId=…&courseId=…\` (1 to ${MAX_REVENUE_COURSES}; a repeated id counts once)`,
  });

const currencyRevenueSchema = z
  .object({
    currency: z.string().length(3).openapi({ example: "EUR" }),
    grossMinor: z.int().openapi({ description: "What buyers paid, in minor units: every purchase charged" }),
    refundedMinor: z
      .int()
      .openapi({ description: "What went back: refunded purchases whole, partial refunds by their amount" }),
    netMinor: z.int().openapi({ description: "grossMinor − refundedMinor (before the provider's fees)" }),
    purchases: z.int().openapi({ description: "Purchases charged (paid, disputed or refunded)" }),
    refunds: z.int().openapi({ description: "Purchases with money returned, wholly or in part" }),
    disputes: z.int().openapi({ description: "Purchases under a dispute, counted as paid until it is decided" }),
  })
  .openapi("CurrencyRevenue");

const revenueSchema = z
  .object({
    courses: z.array(
      z
        .object({
          courseId: z.uuid(),
          revenue: z.array(currencyRevenueSchema).openapi({ description: "Per currency; empty: never sold" }),
        })
        .openapi("CourseRevenue"),
    ),
  })
  .openapi("CourseRevenueList");

const revenue = defineRoute(anyRole(["instructor", "admin"], authorsOnly), {
  method: "get",
  operationId: "getRevenue",
  path: "/api/payments/revenue",
  summary: "Courses' sales for their authors: gross, refunded and net per currency (course purchases only)",
  description:
    "Sums each course's purchases per currency. Subscriptions pay for every course at once and are not " +
    "shared out, so they are not included. Who may see a course's figures is the courses service's " +
    "authoring rule (its author holding the instructor role, or an admin), asked for every course named.",
  tags: ["payments"],
  request: { query: z.object({ courseId: courseIds }) },
  responses: {
    200: { description: "Each course asked for, in the order asked", content: json(revenueSchema) },
    400: problem("Missing, malformed or too many course ids"),
    404: problem("A course that does not exist (each named in `errors`)"),
    503: problem("The courses service cannot tell who may see the figures right now"),
  },
});

const unavailable = { ok: false, code: "unavailable" } as const;

/** The field errors naming each refused id by its place in the query, as validation errors do. */
const named = (ids: readonly string[], refused: readonly string[], message: string): FieldError[] =>
  ids.flatMap((id, index) => (refused.includes(id) ? [{ path: `query.courseId.${index}`, message }] : []));

/**
 * Every course named must be one the caller may edit, or nothing is answered: a list that left
 * out the others' courses would let a caller probe which ids they may see.
 */
async function requireEditRights(
  courses: CourseEditRightsRpc,
  caller: { userId: string; roles: readonly string[] },
  asked: readonly string[],
): Promise<void> {
  const rights: Awaited<ReturnType<CourseEditRightsRpc["mayEditCourses"]>> = await courses
    .mayEditCourses(caller, [...new Set(asked)])
    .catch(() => unavailable);
  if (!rights.ok) {
    throw new ProblemError("service-unavailable", {
      detail: "Cannot check who may see these courses' figures right now; try again.",
      headers: { "retry-after": "1" },
    });
  }
  const { notFound, notEditable }: CourseEditRights = rights.value;
  if (notFound.length > 0) {
    throw new ProblemError("not-found", {
      detail: "No such course.",
      errors: named(asked, notFound, "No such course"),
    });
  }
  if (notEditable.length > 0) {
    throw new ProblemError("forbidden", { detail: authorsOnly, errors: named(asked, notEditable, "Not your course") });
  }
}

export const revenueRoutes = new OpenAPIHono<PaymentsEnv>().openapi(revenue, async (c) => {
  const { courseId } = c.req.valid("query");
  const { userId, roles } = requirePrincipal(c);
  await requireEditRights(c.env.COURSES, { userId, roles }, courseId);
  const courses = await courseRevenue(c.var.database().db, [...new Set(courseId)]);
  c.header("cache-control", "private, no-store");
  return c.json({ courses }, 200);
});
