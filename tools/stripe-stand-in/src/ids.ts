import { randomBytes } from "node:crypto";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

function base62(length: number): string {
  const bytes = randomBytes(length * 2);
  let out = "";
  // Rejection sampling keeps every character equally likely.
  for (let index = 0; out.length < length && index < bytes.length; index += 1) {
    const byte = bytes[index] ?? 0;
    if (byte < 248) out += BASE62[byte % 62];
  }
  return out.length === length ? out : out + base62(length - out.length);
}

/**
 * Ids shaped like Stripe's: a prefix naming the object, then random base62. Checkout Sessions
 * are long (`cs_test_a1…`, 66 characters); most objects are `<prefix>_1` or `_3` plus 23.
 */
export const ids = {
  checkoutSession: () => `cs_test_a1${base62(56)}`,
  paymentIntent: () => `pi_3${base62(23)}`,
  charge: () => `ch_3${base62(23)}`,
  refund: () => `re_3${base62(23)}`,
  dispute: () => `dp_1${base62(23)}`,
  customer: () => `cus_${base62(14)}`,
  subscription: () => `sub_1${base62(23)}`,
  subscriptionItem: () => `si_${base62(14)}`,
  invoice: () => `in_1${base62(23)}`,
  invoiceLine: () => `il_1${base62(23)}`,
  price: () => `price_1${base62(23)}`,
  product: () => `prod_${base62(14)}`,
  event: () => `evt_1${base62(23)}`,
  request: () => `req_${base62(14)}`,
};
