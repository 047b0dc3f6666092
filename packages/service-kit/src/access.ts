import type { MiddlewareHandler } from "hono";
import { createMiddleware } from "hono/factory";
import { requireAnyRole, requirePrincipal } from "@platform/http-kit";

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
  | { readonly kind: "public"; readonly why: string }
  | { readonly kind: "signed-in" }
  | { readonly kind: "roles"; readonly roles: readonly string[]; readonly detail: string };

/** Open to anyone; say why (a webhook checks its signature, the catalog is public, …). */
export const publicAccess = (why: string): Access => ({ kind: "public", why });

export const signedIn: Access = { kind: "signed-in" };

/** Signed in with at least one of these roles. `detail` tells a refused caller what is needed. */
export const anyRole = (roles: readonly string[], detail: string): Access => ({ kind: "roles", roles, detail });

const checkSignedIn = createMiddleware(async (c, next) => {
  requirePrincipal(c);
  await next();
});

/** The middleware that enforces an access declaration (none for public routes). */
export function accessMiddleware(access: Access): MiddlewareHandler[] {
  switch (access.kind) {
    case "public":
      return [];
    case "signed-in":
      return [checkSignedIn];
    case "roles":
      return [
        createMiddleware(async (c, next) => {
          requireAnyRole(c, access.roles, access.detail);
          await next();
        }),
      ];
  }
}
