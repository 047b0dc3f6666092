import { priceProblem } from "@platform/contracts";
import { ProblemError, logLine } from "@platform/http-kit";
import { ProviderError } from "./provider/provider.ts";

/** How long a checkout stays open. Stripe accepts 30 minutes to 24 hours. */
export const CHECKOUT_LIFETIME_MS = 60 * 60_000;

/**
 * A checkout row whose provider call never answered is finished by the next attempt, with the
 * same idempotency key and the same expiry. Past this age that expiry would be under Stripe's
 * 30-minute minimum, so the row is given up (expired) and a new checkout is made instead.
 */
export const UNFINISHED_CHECKOUT_GRACE_MS = 25 * 60_000;

/** The expiry a checkout row asks for: fixed by the row, so a retried call sends the same parameters. */
export const checkoutExpiryOf = (row: { createdAt: Date }) => new Date(row.createdAt.getTime() + CHECKOUT_LIFETIME_MS);

/** Whether an open checkout can still be paid, or must be given up and replaced. */
export function checkoutLapsed(
  row: { checkoutSessionId: string | null; checkoutExpiresAt: Date | null; createdAt: Date },
  now: Date,
) {
  if (row.checkoutSessionId === null) return now.getTime() - row.createdAt.getTime() > UNFINISHED_CHECKOUT_GRACE_MS;
  return row.checkoutExpiresAt !== null && row.checkoutExpiresAt.getTime() <= now.getTime();
}

/** Where the browser comes back to after checkout (the site's page; fulfilment never waits for it). */
export function returnUrls(origin: string, kind: "payment" | "subscription", id: string) {
  return {
    // {CHECKOUT_SESSION_ID} is filled in by Stripe (and by the sandbox).
    successUrl: `${origin}/checkout/complete?${kind}=${id}&session_id={CHECKOUT_SESSION_ID}`,
    cancelUrl: `${origin}/checkout/canceled?${kind}=${id}`,
  };
}

/** Runs a provider call; its failure answers 502 (the client may retry with the same Idempotency-Key). */
export async function viaProvider<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ProviderError) {
      throw new ProblemError("bad-gateway", {
        detail: `The payment provider did not complete the request${error.retryable ? "; try again" : ""}: ${error.message}`,
      });
    }
    throw error;
  }
}

/** Runs an RPC call to another worker; its failure answers 503 rather than a bare 500. */
export async function viaService<T>(service: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ProblemError) throw error;
    throw new ProblemError("service-unavailable", { detail: `The ${service} service could not answer; try again.` });
  }
}

/**
 * Refuses to open a checkout at a price Stripe would not charge (a currency we do not offer, an
 * amount under its minimum). Prices are checked when they are written; this catches a row written
 * before that rule, or by hand, with a 422 that says what to fix instead of a failed insert (500).
 */
export function assertChargeable(what: string, price: { amountMinor: number; currency: string }): void {
  const problem = priceProblem(price);
  if (!problem) return;
  logLine("warn", "payments", "a checkout was refused: the stored price cannot be charged", {
    what,
    amountMinor: price.amountMinor,
    currency: price.currency,
    problem: problem.message,
  });
  throw new ProblemError("unprocessable", {
    detail: `${what} cannot be bought at its current price (${price.amountMinor} ${price.currency}): ${problem.message}. Its price must be corrected first.`,
    errors: [{ path: `price.${problem.path}`, message: problem.message }],
  });
}
