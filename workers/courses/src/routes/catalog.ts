import { OpenAPIHono, z } from "@hono/zod-openapi";
import { CURRENCY_CODES, MAXIMUM_AMOUNT_MINOR } from "@platform/contracts";
import { requirePrincipal } from "@platform/http-kit";
import { defineRoute, json, problem } from "@platform/service-kit";
import { catalogRequest, readCatalog } from "../catalog.ts";
import { cachedPage, catalogEntryName } from "../cache/catalog-cache.ts";
import type { CoursesEnv } from "../env.ts";
import { coursesOfAuthor } from "../instructor.ts";
import { cacheHeaders, PERSONAL_READ } from "./cache-headers.ts";
import { authors, courseSchema, languageSchema, levelSchema, presentCourse, publicRead } from "./schemas.ts";

const AMOUNT_PROBLEM = `a whole number of minor units from 0 to ${MAXIMUM_AMOUNT_MINOR}`;

/**
 * An amount in minor units as a query parameter: digits only (no sign, no fraction, no exponent),
 * up to Stripe's largest amount. Checked as text, so an empty or odd value is refused, not read as 0.
 */
const amount = (description: string) =>
  z
    .string()
    .regex(new RegExp(`^\\d{1,${String(MAXIMUM_AMOUNT_MINOR).length}}$`), { message: AMOUNT_PROBLEM, abort: true })
    .refine((digits) => Number(digits) <= MAXIMUM_AMOUNT_MINOR, AMOUNT_PROBLEM)
    .transform(Number)
    .optional()
    .openapi({ description, example: "2000" });

export const catalogQuery = z
  .object({
    cursor: z
      .string()
      .max(200)
      .optional()
      .openapi({ description: "`nextCursor` of the page before, for the same query" }),
    limit: z.coerce.number().int().min(1).max(50).default(20),
    language: languageSchema.optional(),
    level: levelSchema.optional(),
    price: z.enum(["free", "paid"]).optional(),
    currency: z
      .enum(CURRENCY_CODES as [string, ...string[]])
      .optional()
      .openapi({
        description: "The currency of `minPrice` and `maxPrice` (needed with either): ISO 4217, in capitals",
      }),
    minPrice: amount("Courses from this price, in minor units of `currency` (free courses count as 0)"),
    maxPrice: amount("Courses up to this price, in minor units of `currency` (free courses count as 0)"),
    q: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .optional()
      .openapi({
        description:
          "Words in the title or summary, each matched as the start of a word (`postgres` finds PostgreSQL), " +
          "whatever the case or accents (`cafe` finds Café); every word must match",
      }),
    sort: z
      .enum(["newest", "popular", "relevance"])
      .optional()
      .openapi({
        description:
          "newest: newest first. popular: most learners first. relevance: courses with every word in the title " +
          "first, then the others, newest first within each. Default: relevance with `q`, newest without",
      }),
  })
  .superRefine((query, context) => {
    const ranged = query.minPrice !== undefined || query.maxPrice !== undefined;
    if (ranged && query.currency === undefined) {
      context.addIssue({ code: "custom", path: ["currency"], message: "needed with minPrice or maxPrice" });
    }
    if (query.minPrice !== undefined && query.maxPrice !== undefined && query.minPrice > query.maxPrice) {
      context.addIssue({ code: "custom", path: ["minPrice"], message: "must not be above maxPrice" });
    }
    if (query.price === "free" && (ranged || query.currency !== undefined)) {
      context.addIssue({
        code: "custom",
        path: ["price"],
        message: "free courses have no price: leave out currency, minPrice and maxPrice",
      });
    }
  });

const catalogPage = z
  .object({ items: z.array(courseSchema), nextCursor: z.string().nullable() })
  .openapi("CatalogPage");

const catalog = defineRoute(publicRead("the catalog of published courses is public"), {
  method: "get",
  operationId: "listCourses",
  path: "/api/courses",
  summary: "The catalog: published courses, searched, filtered, sorted and cursor-paginated",
  tags: ["courses"],
  request: { query: catalogQuery },
  responses: {
    200: {
      description: "A page of courses; `x-cache` says whether it came from the catalog cache",
      content: json(catalogPage),
    },
    400: problem("Invalid query: a field, a combination of fields, or a cursor given out for another order"),
  },
});

const mineQuery = z.object({ cursor: z.uuid().optional(), limit: z.coerce.number().int().min(1).max(100).default(20) });

const mine = defineRoute(authors, {
  method: "get",
  operationId: "listMyCourses",
  path: "/api/courses/mine",
  summary: "Your own courses (instructors), with enrollment and completion counts",
  tags: ["courses"],
  request: { query: mineQuery },
  responses: {
    200: {
      description: "A page of your courses",
      content: json(
        z.object({
          items: z.array(courseSchema.extend({ enrolled: z.int(), completed: z.int() })),
          nextCursor: z.uuid().nullable(),
        }),
      ),
    },
    400: problem("Invalid query"),
  },
});

export const catalogRoutes = new OpenAPIHono<CoursesEnv>()
  .openapi(catalog, async (c) => {
    const query = c.req.valid("query");
    const request = catalogRequest(query);
    const { page, cache } = await cachedPage(
      c.env.CATALOG_CACHE,
      catalogEntryName(request, query.cursor),
      async () => {
        const found = await readCatalog(c.var.database().db, request);
        return { items: found.items.map(presentCourse), nextCursor: found.nextCursor };
      },
      (write) => c.executionCtx.waitUntil(write),
    );
    cacheHeaders(c, "public", cache);
    return c.json(page, 200);
  })
  .openapi(mine, async (c) => {
    const principal = requirePrincipal(c);
    const page = await coursesOfAuthor(c.var.database().db, principal.userId, c.req.valid("query"));
    c.header("cache-control", PERSONAL_READ);
    return c.json(
      {
        items: page.items.map((item) => ({
          ...presentCourse(item.course),
          enrolled: item.enrolled,
          completed: item.completed,
        })),
        nextCursor: page.nextCursor,
      },
      200,
    );
  });
