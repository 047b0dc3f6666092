/** Reads a dotted claim path (`realm_access.roles`) as a list of strings; anything else is no roles. */
export function rolesAt(claims: Record<string, unknown>, path: string): string[] {
  let value: unknown = claims;
  for (const part of path.split(".")) {
    value = typeof value === "object" && value !== null ? (value as Record<string, unknown>)[part] : undefined;
  }
  return Array.isArray(value) ? value.filter((role): role is string => typeof role === "string") : [];
}
