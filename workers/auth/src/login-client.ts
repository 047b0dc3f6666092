import { addressGroup } from "@platform/http-kit";

/**
 * The client a sign-in attempt is throttled as: its address grouped by the rule the gateway's
 * rate limits use (IPv6 by /64), so a client cannot dodge the throttle by stepping through the
 * addresses of its own prefix. No address (only ever the case off Cloudflare): one shared client.
 */
export function loginClientKey(address: string | undefined): string {
  const trimmed = address?.trim();
  return trimmed ? addressGroup(trimmed) : "unknown";
}
