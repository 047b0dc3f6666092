import type { NotificationsBindings } from "../env.ts";

/** How refused deliveries are retried (wrangler.toml's vars; docs/notifications.md). */
export interface DeliverySettings {
  /** The first retry's delay; each further attempt doubles it, up to `MAX_RETRY_DELAY_SECONDS`. */
  readonly retryBaseSeconds: number;
  /** Attempts before a delivery that keeps being refused for now is given up as failed. */
  readonly maxAttempts: number;
}

export const DEFAULT_RETRY_BASE_SECONDS = 60;
export const DEFAULT_MAX_ATTEMPTS = 8;
/** No retry waits longer than this: a mail server down for a day is retried every six hours. */
export const MAX_RETRY_DELAY_SECONDS = 6 * 60 * 60;
/**
 * An in-app notice is told to open devices for a little while only: the inbox is the record, and a device that
 * was offline reads it from there. Three attempts (with the base 60 s: about three minutes) and it is failed.
 */
export const IN_APP_MAX_ATTEMPTS = 3;
/**
 * How long a claimed delivery is left alone by other sweeps: longer than any one attempt takes (an SMTP
 * conversation's step timeouts, a push request's). If the attempt's worker dies, the delivery is due again then.
 */
export const CLAIM_LEASE_SECONDS = 5 * 60;

export function deliverySettings(
  env: Pick<NotificationsBindings, "DELIVERY_RETRY_BASE_SECONDS" | "DELIVERY_MAX_ATTEMPTS">,
): DeliverySettings {
  return {
    retryBaseSeconds: numberOr(env.DELIVERY_RETRY_BASE_SECONDS, DEFAULT_RETRY_BASE_SECONDS, 0),
    maxAttempts: Math.floor(numberOr(env.DELIVERY_MAX_ATTEMPTS, DEFAULT_MAX_ATTEMPTS, 1)),
  };
}

function numberOr(value: string | undefined, fallback: number, min: number): number {
  const parsed = Number(value);
  return value !== undefined && value.trim() !== "" && Number.isFinite(parsed) && parsed >= min ? parsed : fallback;
}

/** The wait after the `attempts`-th refused attempt (1 after the first): base · 2^(attempts − 1), capped. */
export function retryDelaySeconds(attempts: number, baseSeconds: number): number {
  return Math.min(MAX_RETRY_DELAY_SECONDS, baseSeconds * 2 ** Math.max(0, attempts - 1));
}

/** How many attempts a delivery on this channel gets. */
export function attemptsAllowed(channel: string, settings: DeliverySettings): number {
  return channel === "in_app" ? Math.min(IN_APP_MAX_ATTEMPTS, settings.maxAttempts) : settings.maxAttempts;
}
