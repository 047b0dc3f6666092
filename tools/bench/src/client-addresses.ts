/**
 * A different client address for every request, from 198.18.0.0/15 (RFC 2544: reserved for
 * benchmarking). The gateway limits each client (`cf-connecting-ip`) to a per-minute budget;
 * a load generator on one address would measure the rate limiter instead of the route. The
 * rate-limiter scenario sets its own addresses and does not use this.
 */
let next = 0;
const RANGE = 2 ** 17; // the /15 holds 131,072 addresses

export function nextClientAddress(): string {
  const n = next++ % RANGE;
  return `198.${18 + (n >> 16)}.${(n >> 8) & 0xff}.${n & 0xff}`;
}

export const CLIENT_ADDRESS_HEADER = "cf-connecting-ip";
