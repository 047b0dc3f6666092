/**
 * A provider's role mapping as the form writes it: one `provider role = platform role` per line,
 * to the API's `roleMap` object and back.
 */
const PLATFORM_ROLES = ["learner", "instructor", "admin"] as const;
type PlatformRole = (typeof PLATFORM_ROLES)[number];

export type RoleMapParse =
  { readonly ok: true; readonly roleMap: Record<string, PlatformRole> } | { readonly ok: false; readonly line: string };

export function parseRoleMap(text: string): RoleMapParse {
  const roleMap: Record<string, PlatformRole> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) continue;
    const [external = "", platform = "", ...rest] = line.split("=").map((part) => part.trim());
    const role = PLATFORM_ROLES.find((candidate) => candidate === platform.toLowerCase());
    if (!external || !role || rest.length > 0) return { ok: false, line };
    roleMap[external] = role;
  }
  return { ok: true, roleMap };
}

export function roleMapText(roleMap: Readonly<Record<string, string>>): string {
  return Object.entries(roleMap)
    .map(([external, role]) => `${external} = ${role}`)
    .join("\n");
}
