import { retentionDays } from "@platform/db";
import type { EventsBindings } from "../env.ts";
import { insecureHostsOf } from "./target-policy.ts";

/**
 * When a failed delivery is tried again: the Standard Webhooks schedule (5 s, 5 min, 30 min, 2 h, 5 h,
 * 10 h), stretched with 14 h and two 20 h waits so the last attempt comes about three days (71.6 h)
 * after the first. Ten attempts in all.
 */
export const DEFAULT_RETRY_SCHEDULE_SECONDS: readonly number[] = [
  5, 300, 1_800, 7_200, 18_000, 36_000, 50_400, 72_000, 72_000,
];
/** What a receiver gets to answer: Standard Webhooks suggests a short timeout; 15 s is what Svix gives. */
export const DEFAULT_TIMEOUT_MS = 15_000;
export const DEFAULT_DELIVERY_RETENTION_DAYS = 30;
/** How long a claimed delivery is left alone by other sweeps: longer than one attempt can take. */
export const CLAIM_LEASE_SECONDS = 120;

export interface WebhookSettings {
  /** Seconds before the 2nd, 3rd, … attempt; its length + 1 is how many attempts a delivery gets. */
  readonly retryScheduleSeconds: readonly number[];
  readonly timeoutMs: number;
  readonly insecureHosts: ReadonlySet<string>;
  readonly secretsKey: { readonly name: "WEBHOOK_SECRETS_KEY"; readonly value: string | undefined };
}

export function webhookSettings(env: EventsBindings): WebhookSettings {
  return {
    retryScheduleSeconds: scheduleOf(env.WEBHOOK_RETRY_SCHEDULE),
    timeoutMs: positiveOr(env.WEBHOOK_TIMEOUT_MS, DEFAULT_TIMEOUT_MS),
    insecureHosts: insecureHostsOf(env.WEBHOOK_INSECURE_HOSTS),
    secretsKey: { name: "WEBHOOK_SECRETS_KEY", value: env.WEBHOOK_SECRETS_KEY },
  };
}

export function webhookRetentionDays(env: Pick<EventsBindings, "WEBHOOK_DELIVERY_RETENTION_DAYS">): number {
  return retentionDays(env.WEBHOOK_DELIVERY_RETENTION_DAYS, DEFAULT_DELIVERY_RETENTION_DAYS);
}

/** The schedule in a setting (`"5,300,1800"`); the default when unset or not a list of non-negative numbers. */
export function scheduleOf(setting: string | undefined): readonly number[] {
  if (setting === undefined || setting.trim() === "") return DEFAULT_RETRY_SCHEDULE_SECONDS;
  const seconds = setting.split(",").map((part) => Number(part.trim()));
  return seconds.every((value) => Number.isFinite(value) && value >= 0) ? seconds : DEFAULT_RETRY_SCHEDULE_SECONDS;
}

function positiveOr(value: string | undefined, fallback: number): number {
  const parsed = Number(value);
  return value !== undefined && value.trim() !== "" && Number.isFinite(parsed) && parsed > 0 ? parsed : fallback;
}
