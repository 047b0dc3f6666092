/**
 * Which push endpoints we will POST to. The endpoint comes from the browser, so from whoever calls the API: left
 * open, it would make the worker send requests wherever a caller likes. Push services are public https hosts
 * (RFC 8030 §8), so that is what is accepted; tests and the local stack name their loopback push service in
 * `PUSH_INSECURE_HOSTS`, which lifts both the https rule and the no-address rule for exactly those hosts.
 */

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

const bare = (host: string) =>
  host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, "");

export function insecureHostsOf(setting: string | undefined): ReadonlySet<string> {
  return new Set((setting ?? "").split(",").map(bare).filter(Boolean));
}

/** Why we will not push to this endpoint, or null when we will. */
export function endpointProblem(endpoint: string, insecureHosts: ReadonlySet<string>): string | null {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return "must be an absolute URL";
  }
  if (url.username || url.password) return "must not carry credentials";
  const host = bare(url.hostname);
  if (insecureHosts.has(host)) return url.protocol === "https:" || url.protocol === "http:" ? null : "must be https";
  if (url.protocol !== "https:") return "must be https";
  if (IPV4.test(host) || host.includes(":") || host === "localhost" || host.endsWith(".localhost")) {
    return "must name a push service's host, not an address or localhost";
  }
  return null;
}
