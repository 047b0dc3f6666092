import { OpenAPIHono } from "@hono/zod-openapi";
import type { Env } from "hono";
import { applyServiceConventions, type ServiceAppOptions, type ServiceEnv } from "./app.ts";
import { fieldErrorsFromZod, respondWithProblem } from "./errors.ts";

/**
 * The app every domain worker starts from: the platform's conventions plus zod validation whose
 * failures answer 400 problem+json listing every invalid field, and routes that document
 * themselves in OpenAPI.
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
      return undefined;
    },
  });
  applyServiceConventions(app, options);
  return app;
}

export * from "./openapi-document.ts";
