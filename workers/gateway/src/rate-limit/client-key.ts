import { addressGroup } from "@platform/http-kit";

/**
 * Whose budget a request spends. A signed-in caller is limited as a user, wherever they connect
 * from; anyone else by address, grouped by `addressGroup` (IPv6 by /64), the rule the sign-in
 * throttle uses too. Cloudflare sets `cf-connecting-ip` at the edge (a client cannot forge it
 * there), so it is the only address read: never `x-forwarded-for`.
 */
export function clientKeyOf(
  principal: { readonly userId: string; readonly apiKey?: { readonly id: string } } | undefined,
  address: string | undefined,
): string {
  // An API key has a budget of its own, apart from its admin's and from every other key's.
  if (principal?.apiKey) return `key:${principal.apiKey.id}`;
  if (principal) return `user:${principal.userId}`;
  if (!address?.trim()) return UNATTRIBUTED_KEY;
  return `ip:${addressGroup(address.trim())}`;
}

/**
 * Anonymous requests without `cf-connecting-ip`: none come from the internet through Cloudflare,
 * only from calls that did not pass its edge (locally, `wrangler dev`; a service binding that did
 * not say whose request it carries). They share one bucket, keyed apart from every `ip:` one (no
 * header value can land in it), with limits raised by UNATTRIBUTED_LIMIT_FACTOR (rules.ts), so
 * they neither spend any address's budget nor are held to one client's.
 */
export const UNATTRIBUTED_KEY = "unattributed";
