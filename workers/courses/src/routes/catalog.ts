import { OpenAPIHono, z } from "@hono/zod-openapi";
import { ProblemError, requirePrincipal } from "@platform/http-kit";
import { defineRoute, json, problem, publicAccess } from "@platform/service-kit";
import { decodeCursor, readCatalog } from "../catalog.ts";
import { cachedPage } from "../cache/catalog-cache.ts";
import type { CoursesEnv } from "../env.ts";
import { coursesOfAuthor } from "../instructor.ts";
import { cacheHeaders, PERSONAL_READ } from "./cache-headers.ts";
import { authors, courseSchema, languageSchema, levelSchema, presentCourse } from "./schemas.ts";

const catalogQuery = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
  language: languageSchema.optional(),
  level: levelSchema.optional(),
  price: z.enum(["free", "paid"]).optional(),
  q: z.string().trim().min(1).max(100).optional().openapi({ description: "Words in the title or summary" }),
});

const catalogPage = z
  .object({ items: z.array(courseSchema), nextCursor: z.string().nullable() })
  .openapi("CatalogPage");

const catalog = defineRoute(publicAccess("the catalog of published courses is public"), {
  method: "get",
  path: "/api/courses",
  summary: "The catalog: published courses, newest first, filtered and cursor-paginated",
  tags: ["courses"],
  request: { query: catalogQuery },
  responses: {
    200: {
      description: "A page of courses; `x-cache` says whether it came from the catalog cache",
      content: json(catalogPage),
    },
    400: problem("Invalid query"),
  },
});

const mineQuery = z.object({ cursor: z.uuid().optional(), limit: z.coerce.number().int().min(1).max(100).default(20) });

const mine = defineRoute(authors, {
  method: "get",
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
    if (query.cursor !== undefined && !decodeCursor(query.cursor)) {
      throw new ProblemError("validation-failed", {
        errors: [{ path: "query.cursor", message: "not a cursor this API gave out" }],
      });
    }
    const { page, cache } = await cachedPage(
      c.env.CATALOG_CACHE,
      query,
      async () => {
        const found = await readCatalog(c.var.database().db, query);
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
