import type { MiddlewareHandler } from "hono";
import { createMiddleware } from "hono/factory";
import type { ApiScope } from "@platform/contracts";
import { ProblemError, principalOf, requireAnyRole, requirePrincipal } from "@platform/http-kit";

/**
 * Who may call a route, declared beside it. The kit checks it before the route's validators run,
 * so an anonymous caller learns only that it must sign in (401) and a signed-in caller without
 * the role only that it may not (403): neither is shown the request schema in a 400.
 *
 * What the caller may do with a particular resource (its own course, its own payment) is still
 * decided in the handler or the domain module, which knows the resource.
 */
export type Access =
  /** Anyone, signed in or not; the handler may still look at `principalOf(c)`. */
  (
    | { readonly kind: "public"; readonly why: string }
    | { readonly kind: "signed-in" }
    | { readonly kind: "roles"; readonly roles: readonly string[]; readonly detail: string }
  ) & {
    /**
     * The scope an integrator's API key needs for this route (docs/integrators.md#scopes). A guarded
     * route without one is closed to API keys: they are for the routes that say so.
     */
    readonly scope?: ApiScope;
  };

/** The same access, open to API keys that carry `scope`. */
export const withScope = <A extends Access>(access: A, scope: ApiScope): A => ({ ...access, scope });

/** Open to anyone; say why (a webhook checks its signature, the catalog is public, …). */
export const publicAccess = (why: string): Access => ({ kind: "public", why });

export const signedIn: Access = { kind: "signed-in" };

/** Signed in with at least one of these roles. `detail` tells a refused caller what is needed. */
export const anyRole = (roles: readonly string[], detail: string): Access => ({ kind: "roles", roles, detail });

const checkSignedIn = createMiddleware(async (c, next) => {
  requirePrincipal(c);
  await next();
});

/** An API key may call a guarded route only with the scope the route declares (the gateway checked the key). */
function checkKeyScope(access: Access) {
  return createMiddleware(async (c, next) => {
    const apiKey = principalOf(c)?.apiKey;
    if (apiKey && !(access.scope && apiKey.scopes.includes(access.scope))) {
      throw new ProblemError("forbidden", {
        detail: access.scope
          ? `This API key lacks the scope ${access.scope}.`
          : "API keys cannot use this route: it is for people.",
      });
    }
    await next();
  });
}

/** The middleware that enforces an access declaration (none for public routes). */
export function accessMiddleware(access: Access): MiddlewareHandler[] {
  switch (access.kind) {
    case "public":
      // Open to anyone; an API key, though, acts for its admin, so it too needs the route's scope.
      return [checkKeyScope(access)];
    case "signed-in":
      return [checkSignedIn, checkKeyScope(access)];
    case "roles":
      return [
        createMiddleware(async (c, next) => {
          requireAnyRole(c, access.roles, access.detail);
          await next();
        }),
        checkKeyScope(access),
      ];
  }
}
