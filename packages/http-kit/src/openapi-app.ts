import { OpenAPIHono } from "@hono/zod-openapi";
import type { Env } from "hono";
import { applyServiceConventions, type ServiceAppOptions, type ServiceEnv } from "./app.ts";
import { fieldErrorsFromZod, respondWithProblem } from "./errors.ts";
import { unstorableTextErrors } from "./storable-text.ts";

/**
 * The app every domain worker starts from: the platform's conventions plus zod validation whose
 * failures answer 400 problem+json listing every invalid field, and routes that document
 * themselves in OpenAPI.
 *
 * Every validated body, query, path and header passes this hook (route apps mounted with
 * `app.route` inherit it), after the route's access check. A value that matches its schema may
 * still hold text PostgreSQL cannot store (a NUL, a lone surrogate), which would fail its query
 * with a 500: the hook refuses it here, as a field error, so no route has to remember to.
 */
export function createApiApp<E extends Env = ServiceEnv>(options: ServiceAppOptions): OpenAPIHono<E> {
  const app = new OpenAPIHono<E>({
    defaultHook: (result, c) => {
      if (!result.success) {
        return respondWithProblem(c, "validation-failed", {
          detail: "One or more fields are invalid.",
          errors: fieldErrorsFromZod(result.error, result.target),
        });
      }
      const unstorable = unstorableTextErrors(result.data, result.target);
      if (unstorable.length > 0) {
        return respondWithProblem(c, "validation-failed", {
          detail: "One or more fields are invalid.",
          errors: unstorable,
        });
      }
      return undefined;
    },
  });
  applyServiceConventions(app, options);
  return app;
}

export * from "./openapi-document.ts";
