/** What `CORS_ORIGINS` allows, and `Vary` kept right: plain functions, no runtime needed. */

/** The configured origins, as browsers send them in `Origin` (`scheme://host[:port]`, no path). */
export function parseOrigins(config: string | undefined): ReadonlySet<string> {
  const origins = new Set<string>();
  for (const entry of (config ?? "").split(",")) {
    const candidate = entry.trim().replace(/\/$/, "").toLowerCase();
    if (!candidate) continue;
    try {
      const url = new URL(candidate);
      const isOrigin = (url.protocol === "https:" || url.protocol === "http:") && url.origin === candidate;
      // `https://*.example.com` parses, but patterns are not supported: each origin is listed.
      if (isOrigin && !url.hostname.includes("*")) origins.add(url.origin);
    } catch {
      // Not an origin (`*`, `null`, a bare host name): it grants nothing.
    }
  }
  return origins;
}

/** Adds names to `Vary` unless they (or `*`) are already there. */
export function withVary(current: string | null, names: readonly string[]): string {
  const present = (current ?? "")
    .split(",")
    .map((name) => name.trim())
    .filter(Boolean);
  const lower = present.map((name) => name.toLowerCase());
  if (lower.includes("*")) return present.join(", ");
  return [...present, ...names.filter((name) => !lower.includes(name.toLowerCase()))].join(", ");
}
