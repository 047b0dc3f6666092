import { z, type OpenAPIHono } from "@hono/zod-openapi";
import type { Env } from "hono";
import { PROBLEM_CONTENT_TYPE } from "./problem.ts";

/**
 * Where a domain worker serves its OpenAPI document. Internal like `/health`: the gateway only
 * forwards `/api/<domain>/*`, so this is reached through the service binding alone, and the
 * gateway publishes the merge of every worker's document at `/api/openapi.json`.
 */
export const OPENAPI_DOCUMENT_PATH = "/openapi.json";

/** The name routes use in `security: [{ bearer: [] }]`. */
export const BEARER_SECURITY_SCHEME = "bearer";

/** RFC 9457 problem details, as `ProblemDetails` in problem.ts describes them. */
export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    correlationId: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .openapi("Problem");

/** `content` of a documented error response. */
export const problemContent = { [PROBLEM_CONTENT_TYPE]: { schema: problemSchema } };

const problemResponse = (description: string) => ({
  description,
  content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: "#/components/schemas/Problem" } } },
});

export interface ServiceDocumentInfo {
  /** e.g. "Edge Learning: auth". */
  readonly title: string;
  readonly version: string;
  readonly description?: string;
  /** Descriptions of the tags this worker's routes use. */
  readonly tags?: readonly { readonly name: string; readonly description?: string }[];
}

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

type Operation = {
  requestBody?: unknown;
  parameters?: readonly unknown[];
  responses?: Record<string, unknown>;
};

/**
 * Documents the answers every route can give whether or not it says so: an invalid body, query
 * or path answers 400 (createApiApp's validation hook), and any other failure is problem+json.
 */
function addPlatformResponses(paths: Record<string, Partial<Record<(typeof METHODS)[number], Operation>>>): void {
  for (const item of Object.values(paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const responses = (operation.responses ??= {});
      const validated = operation.requestBody !== undefined || (operation.parameters?.length ?? 0) > 0;
      if (validated && !responses["400"]) {
        responses["400"] = problemResponse("Invalid input: `errors` lists every invalid field");
      }
      responses.default ??= problemResponse("Any other error");
    }
  }
}

/**
 * Registers `GET /openapi.json` on a createApiApp app: an OpenAPI 3.1 document of every route
 * defined with `createRoute`, plus what all workers share: the `bearer` security scheme (our
 * EdDSA access tokens) and the `Problem` schema. Built on first request (every route is
 * registered by then) and kept for the isolate's life: it cannot change without a deploy.
 */
export function serveOpenApiDocument<E extends Env>(app: OpenAPIHono<E>, info: ServiceDocumentInfo): OpenAPIHono<E> {
  app.openAPIRegistry.registerComponent("securitySchemes", BEARER_SECURITY_SCHEME, {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description:
      "An access token from `POST /api/auth/login` or `POST /api/auth/refresh`: a JWT signed with EdDSA (Ed25519), " +
      "`typ` at+jwt, valid for `expiresIn` seconds. Its keys are published at `/.well-known/jwks.json`.",
  });
  app.openAPIRegistry.register("Problem", problemSchema);

  let document: ReturnType<typeof app.getOpenAPI31Document> | undefined;
  app.get(OPENAPI_DOCUMENT_PATH, (c) => {
    if (!document) {
      const generated = app.getOpenAPI31Document({
        openapi: "3.1.0",
        info: { title: info.title, version: info.version, ...(info.description && { description: info.description }) },
        ...(info.tags && { tags: info.tags.map((tag) => ({ ...tag })) }),
      });
      addPlatformResponses((generated.paths ?? {}) as Parameters<typeof addPlatformResponses>[0]);
      document = generated;
    }
    return c.json(document);
  });
  return app;
}
