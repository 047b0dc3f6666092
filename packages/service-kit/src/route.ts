import { createRoute, type RouteConfig } from "@hono/zod-openapi";
import { accessMiddleware, type Access } from "./access.ts";
import { bearerSecurity, problem } from "./openapi.ts";

type RouteWithoutAccess = Omit<RouteConfig, "path" | "middleware" | "security">;

/**
 * `createRoute` with the caller declared: every domain route says who may call it, the kit
 * enforces that before validation, and the OpenAPI document gets the matching `security` and the
 * 401/403 answers from the same declaration, so the document cannot disagree with the check.
 */
export function defineRoute<P extends string, R extends RouteWithoutAccess & { path: P }>(access: Access, route: R) {
  const guarded = access.kind !== "public";
  return createRoute({
    ...route,
    middleware: accessMiddleware(access),
    ...(guarded && { security: bearerSecurity }),
    responses: {
      ...(guarded && { 401: problem("Not signed in: send a bearer access token") }),
      ...(access.kind === "roles" && { 403: problem(access.detail) }),
      ...route.responses,
    },
  });
}
