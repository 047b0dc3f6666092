import type { ApiScope } from "@platform/contracts";
import { compileRouteMatcher, type RouteTemplate } from "./route-matcher.ts";
import { ROUTE_SCOPES } from "./route-scopes.generated.ts";

/**
 * One operation of the merged OpenAPI document, as the gateway needs it to check an API key:
 * generated into route-scopes.generated.ts by `npm run gateway:route-scopes`.
 */
export interface RouteScope extends RouteTemplate {
  /** The operation's `x-api-key-scope`: the scope a key needs, or null when it declares none. */
  readonly scope: ApiScope | null;
  /** Whether the operation asks for a credential at all (it has `security`); for the record, the check does not need it. */
  readonly guarded: boolean;
}

/** Why the gateway refuses an API key (or a key's client-credentials token) a route. */
export interface KeyRefusal {
  readonly detail: string;
  /** For the `WWW-Authenticate` challenge (RFC 6750 §3.1): the scope that would open the route. */
  readonly scope?: ApiScope;
}

// Compiled on first use and kept for the isolate's life: the table changes only with a deploy.
let findRoute: ((method: string, path: string) => RouteScope | undefined) | undefined;

/**
 * Whether a key with these scopes may make this request, decided before anything is forwarded.
 * The owning worker checks again (service-kit's checkKeyScope): the same rule, and the same
 * details, so a caller sees one answer whichever layer gives it.
 */
export function keyRefusal(scopes: readonly string[], method: string, path: string): KeyRefusal | undefined {
  findRoute ??= compileRouteMatcher(ROUTE_SCOPES);
  const route = findRoute(method, path);
  if (!route) return { detail: "API keys cannot use this route: it is not in the API's OpenAPI document." };
  if (route.scope) {
    return scopes.includes(route.scope)
      ? undefined
      : { detail: `This API key lacks the scope ${route.scope}.`, scope: route.scope };
  }
  // No scope declared, public or not: closed to keys, as the owning worker's kit closes it (a key
  // acts for its admin, so even a public route is only open to one that names its scope).
  return { detail: "API keys cannot use this route: it is for people." };
}
