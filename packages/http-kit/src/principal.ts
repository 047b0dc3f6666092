import type { Context } from "hono";
import { ProblemError } from "./problem.ts";

/**
 * The caller as the gateway verified it. The gateway drops any `x-platform-*` header a client
 * sends and sets these itself; domain workers have no public route, so only the gateway can
 * reach them with these headers.
 */
export const PRINCIPAL_USER_HEADER = "x-platform-user-id";
export const PRINCIPAL_ROLES_HEADER = "x-platform-roles";
/**
 * Set only when the caller is an integrator's API key (docs/integrators.md): the key's id, and the
 * scopes it may use here (comma-separated; possibly none). A person's requests never carry them.
 */
export const PRINCIPAL_API_KEY_HEADER = "x-platform-api-key-id";
export const PRINCIPAL_SCOPES_HEADER = "x-platform-scopes";
/** The client's address as the gateway saw it (for throttling); clients cannot set it either. */
export const CLIENT_IP_HEADER = "x-platform-client-ip";

export interface Principal {
  readonly userId: string;
  readonly roles: readonly string[];
  /** An API key acting for `userId` (its admin), limited to these scopes; absent for a person. */
  readonly apiKey?: { readonly id: string; readonly scopes: readonly string[] };
}

export function principalOf(c: Context): Principal | undefined {
  const userId = c.req.header(PRINCIPAL_USER_HEADER);
  if (!userId) return undefined;
  const roles = (c.req.header(PRINCIPAL_ROLES_HEADER) ?? "").split(",").filter(Boolean);
  const apiKeyId = c.req.header(PRINCIPAL_API_KEY_HEADER);
  if (!apiKeyId) return { userId, roles };
  const scopes = (c.req.header(PRINCIPAL_SCOPES_HEADER) ?? "").split(",").filter(Boolean);
  return { userId, roles, apiKey: { id: apiKeyId, scopes } };
}

export function requirePrincipal(c: Context): Principal {
  const principal = principalOf(c);
  if (!principal) throw new ProblemError("unauthorized", { detail: "Sign in first: send a bearer access token." });
  return principal;
}

/**
 * The owning worker decides what a caller may do: this refuses (403) a signed-in caller without
 * the role, whatever the gateway let through.
 */
export function requireRole(c: Context, role: string, detail: string): Principal {
  return requireAnyRole(c, [role], detail);
}

/** The same for a caller who needs one of several roles (an instructor or an admin). */
export function requireAnyRole(c: Context, roles: readonly string[], detail: string): Principal {
  const principal = requirePrincipal(c);
  if (!roles.some((role) => principal.roles.includes(role))) throw new ProblemError("forbidden", { detail });
  return principal;
}
