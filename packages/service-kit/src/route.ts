import { createRoute, type RouteConfig } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { every } from "hono/combine";
import { accessMiddleware, type Access } from "./access.ts";
import { bearerSecurity, problem, scopedSecurity } from "./openapi.ts";

/**
 * `operationId` is required, not optional as in OpenAPI: it names the operation in the generated
 * client and in integrators' tools, so every route must choose a stable, unique camelCase verb
 * phrase (`listCourses`, `rotateApiKey`) and the type checker finds any route that does not.
 */
type RouteWithoutAccess = Omit<RouteConfig, "path" | "middleware" | "security" | "operationId"> & {
  operationId: string;
};

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
    ...(guarded && { security: access.scope ? scopedSecurity(access.scope) : bearerSecurity }),
    // Public routes too: a key acts for its admin, so it needs the scope there as well, and the gateway reads it here.
    ...(access.scope && { "x-api-key-scope": access.scope }),
    responses: {
      ...(guarded && { 401: problem("Not signed in: send a bearer access token") }),
      ...(access.kind === "roles" && { 403: problem(access.detail) }),
      ...(guarded &&
        access.kind !== "roles" && {
          403: problem(
            access.scope ? `An API key without the ${access.scope} scope` : "An API key (this route is for people)",
          ),
        }),
      ...route.responses,
    },
  });
}

type DefinedRoute = ReturnType<typeof defineRoute>;

/**
 * For a route whose handler must see the raw request (a signed webhook body, a streamed upload
 * part, an HTML page and its redirects), which `openapi()` would validate and parse first:
 * documents the route like any other and returns its access check, to be mounted ahead of the
 * handler as `openapi()` would do it, e.g. `app.post(path, documentByHand(app, route), handler)`.
 * The route's `middleware` is for the router, not the document, so it is left out of it.
 */
export function documentByHand(
  app: { readonly openAPIRegistry: { registerPath(route: Omit<DefinedRoute, "middleware">): void } },
  { middleware, ...documented }: DefinedRoute,
): MiddlewareHandler {
  app.openAPIRegistry.registerPath(documented);
  return every(...[middleware ?? []].flat());
}
