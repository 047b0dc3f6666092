/**
 * Which URLs the router will POST events to. The URL comes from whoever manages endpoints, so left
 * open it would make the platform send requests wherever a caller likes (SSRF): into the
 * platform's own network, a cloud metadata address, a service on loopback. So a target must be
 * https on a public host name or a public address. Tests and `npm start` name their loopback
 * receivers in `WEBHOOK_INSECURE_HOSTS`, which lifts both rules for exactly those hosts; production
 * leaves it empty. The same check runs again before every attempt, so a setting narrowed later
 * also stops what was allowed before, and redirects are never followed (a public host could point
 * at a private one). What a public name resolves to cannot be checked from a Worker; Cloudflare's
 * egress does not reach private networks (docs/integrators.md#webhooks).
 */

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
/** Names that only ever mean this machine or a private network. */
const PRIVATE_SUFFIXES = [".localhost", ".local", ".internal", ".lan", ".home.arpa"];

const bare = (host: string) =>
  host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, "")
    .replace(/\.$/, "");

export function insecureHostsOf(setting: string | undefined): ReadonlySet<string> {
  return new Set((setting ?? "").split(",").map(bare).filter(Boolean));
}

/** Whether an IPv4 address is loopback, private, link-local, shared, reserved, multicast or unspecified. */
function isNonPublicIpv4(octets: readonly number[]): boolean {
  const [a = 0, b = 0] = octets;
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 192 && b === 0) ||
    (a === 198 && (b === 18 || b === 19)) ||
    a >= 224
  );
}

/** Whether an IPv6 address (as URL parsing writes it) is loopback, unspecified, unique-local, link-local or v4-mapped. */
function isNonPublicIpv6(host: string): boolean {
  if (host === "::" || host === "::1") return true;
  if (/^f[cd][0-9a-f]{0,2}:/.test(host) || /^fe[89ab][0-9a-f]?:/.test(host)) return true;
  // ::ffff:a.b.c.d (written by the URL parser as ::ffff:xxxx:xxxx) and the like reach IPv4 space.
  return host.startsWith("::ffff:") || host.startsWith("64:ff9b:");
}

/** Why the router will not deliver to this URL, or null when it will. */
export function targetProblem(target: string, insecureHosts: ReadonlySet<string>): string | null {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return "must be an absolute URL";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return "must be an https URL";
  if (url.username || url.password) return "must not carry credentials";
  if (url.hash) return "must not have a fragment";
  const host = bare(url.hostname);
  if (insecureHosts.has(host)) return null;
  if (url.protocol !== "https:") return "must be https";
  const ipv4 = IPV4.exec(host);
  if (ipv4) {
    const octets = ipv4.slice(1).map(Number);
    if (octets.some((octet) => octet > 255)) return "must name a valid host";
    return isNonPublicIpv4(octets) ? "must not be a private, loopback or reserved address" : null;
  }
  if (host.includes(":")) {
    return isNonPublicIpv6(host) ? "must not be a private, loopback or reserved address" : null;
  }
  if (host === "localhost" || !host.includes(".") || PRIVATE_SUFFIXES.some((suffix) => host.endsWith(suffix))) {
    return "must name a public host, not localhost or a private network's name";
  }
  return null;
}
