import { OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { ProblemError, fieldErrorsFromZod } from "@platform/http-kit";
import { anyRole, defineRoute, documentByHand, json, problem, withScope } from "@platform/service-kit";
import { importEnrollments, type AccountFinder } from "../enrollment-import/import.ts";
import { MAX_IMPORT_ROWS, rowsFromCsv, rowsFromJson, type ParsedRow } from "../enrollment-import/rows.ts";
import type { CoursesEnv } from "../env.ts";
import { courseIdParam, eventContext } from "./schemas.ts";

const importRow = z
  .object({
    userId: z.uuid().optional().openapi({ description: "An existing, active account" }),
    email: z.email().optional().openapi({ description: "Or the account's address (one of the two per row)" }),
    reference: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .openapi({ description: "Your own reference for the grant (an order or contract number)" }),
  })
  .openapi("EnrollmentImportRow");

const rowReport = z
  .object({
    line: z.int().openapi({ description: "The CSV line the row starts on, or the row's place in `rows`, from 1" }),
    userId: z.string().optional(),
    email: z.string().optional(),
    reference: z.string().optional(),
    outcome: z.enum(["granted", "already_enrolled", "failed"]),
    reason: z
      .enum(["invalid_row", "unknown_account", "account_disabled", "duplicate_in_file", "grant_withdrawn"])
      .optional()
      .openapi({ description: "Why a failed row failed" }),
    detail: z.string(),
  })
  .openapi("EnrollmentImportRowReport");

const importReport = z
  .object({
    summary: z.object({ total: z.int(), granted: z.int(), alreadyEnrolled: z.int(), failed: z.int() }),
    rows: z.array(rowReport),
  })
  .openapi("EnrollmentImportReport");

const csvBody = z.string().openapi({
  description: `A header line naming user_id and/or email (optionally reference; other columns are ignored), then at most ${MAX_IMPORT_ROWS} rows (RFC 4180)`,
  example: "email,reference\nada@example.com,order-1042\n",
});

const importRoute = defineRoute(withScope(anyRole(["admin"], "Admins grant access in bulk"), "enrollments:write"), {
  method: "post",
  operationId: "importEnrollments",
  path: "/api/courses/{id}/enrollments/import",
  summary: "Grant access to a course in bulk (CSV or JSON), idempotent per row",
  description:
    "Each row is granted, found already enrolled, or fails with a reason; no row's failure undoes another's grant, " +
    "and importing the same rows again grants nothing new. See docs/integrators.md#enrollment-import.",
  tags: ["courses"],
  request: {
    params: courseIdParam,
    body: {
      required: true,
      content: {
        "application/json": { schema: z.object({ rows: z.array(importRow).max(MAX_IMPORT_ROWS) }) },
        "text/csv": { schema: csvBody },
      },
    },
  },
  responses: {
    200: { description: "What became of each row", content: json(importReport) },
    400: problem("Not a CSV with a header line, or not { rows: [...] }; nothing was written"),
    404: problem("No such course"),
    409: problem("The course is not published"),
    413: problem(`More than ${MAX_IMPORT_ROWS} rows; nothing was written`),
    415: problem("Neither application/json nor text/csv"),
    503: problem("Accounts could not be looked up; nothing was written"),
  },
});

/** Far above a thousand rows of ids, addresses and references: a body this large is not an import. */
const MAX_BODY_CHARS = 2 * 1024 * 1024;

export const enrollmentImportRoutes = new OpenAPIHono<CoursesEnv>();

// Registered by hand: the body is CSV or JSON, told apart by its type, and a malformed row is the
// row's failure in the report rather than a 400 for the whole request.
enrollmentImportRoutes.post(
  importRoute.getRoutingPath(),
  documentByHand(enrollmentImportRoutes, importRoute),
  async (c) => {
    const param = courseIdParam.safeParse(c.req.param());
    if (!param.success) {
      throw new ProblemError("validation-failed", {
        detail: "One or more fields are invalid.",
        errors: fieldErrorsFromZod(param.error, "param"),
      });
    }
    const rows = await rowsOf(c);
    const report = await importEnrollments(c.var.database().db, accountFinder(c), param.data.id, rows, eventContext(c));
    return c.json(report, 200);
  },
);

async function rowsOf(c: Context<CoursesEnv>): Promise<ParsedRow[]> {
  const type = (c.req.header("content-type") ?? "").split(";")[0]?.trim().toLowerCase();
  if (type !== "application/json" && type !== "text/csv") {
    throw new ProblemError("unsupported-media-type", {
      detail: "Send the rows as text/csv (with a header line) or application/json ({ rows: [...] }).",
    });
  }
  const text = await c.req.text();
  if (text.length > MAX_BODY_CHARS) {
    throw new ProblemError("payload-too-large", { detail: `An import takes at most ${MAX_IMPORT_ROWS} rows.` });
  }
  if (type === "text/csv") return rowsFromCsv(text);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ProblemError("bad-request", { detail: "The body is not valid JSON." });
  }
  return rowsFromJson(body);
}

/** The auth service's look-up; if it cannot answer, nothing is granted (503) and the import can be sent again. */
function accountFinder(c: Context<CoursesEnv>): AccountFinder {
  return async (query) => {
    const found = await c.env.AUTH.findAccounts(query).catch(() => undefined);
    if (!found?.ok) {
      throw new ProblemError("service-unavailable", {
        detail: "The accounts could not be looked up; nothing was imported. Try again.",
      });
    }
    return found.value;
  };
}
