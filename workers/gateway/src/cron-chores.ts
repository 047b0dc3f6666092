import { DOMAIN_SERVICES, bindingNameOf } from "@platform/contracts";
import { errorText, logLine } from "@platform/http-kit";
import type { GatewayBindings } from "./bindings.ts";

export interface SweepReport {
  readonly relayed: Record<string, number>;
  readonly failed: Record<string, string>;
}

/**
 * The platform's clock for the outbox sweep: one cron trigger here asks every worker, through
 * its binding, to relay what its request-time fast path missed. Each worker still reads only its
 * own outbox; one worker failing does not stop the others.
 */
export async function sweepOutboxes(env: GatewayBindings): Promise<SweepReport> {
  const relayed: Record<string, number> = {};
  const failed: Record<string, string> = {};
  await Promise.all(
    DOMAIN_SERVICES.map(async (service) => {
      try {
        relayed[service] = await env[bindingNameOf(service)].relayOutbox();
      } catch (error) {
        failed[service] = errorText(error);
      }
    }),
  );
  const total = Object.values(relayed).reduce((sum, count) => sum + count, 0);
  const level = Object.keys(failed).length > 0 ? "error" : total > 0 ? "warn" : "info";
  // Rows found by the sweep were missed by the fast path: worth a warning when there are any.
  logLine(level, "gateway", "outbox sweep", { relayed, failed });
  return { relayed, failed };
}

/** The cron trigger (wrangler.toml) that runs the retention chore; the every-minute one runs the rest. */
export const RETENTION_CRON = "17 * * * *";

/** What one worker pruned; the events worker also counts the dead letters it deleted. */
type PrunedCounts = { outbox: number; processedEvents: number; deadLetters?: number };

export interface RetentionReport {
  readonly pruned: Record<string, PrunedCounts>;
  readonly failed: Record<string, string>;
}

/**
 * The retention chore, hourly: every worker deletes its delivered outbox rows (an envelope such
 * as `USER_CREATED` holds personal data) and its old dedupe marks, bounded per run, so a backlog
 * drains over a few hours rather than in one long statement. One worker failing does not stop the others.
 */
export async function pruneEventTables(env: GatewayBindings): Promise<RetentionReport> {
  const pruned: Record<string, PrunedCounts> = {};
  const failed: Record<string, string> = {};
  await Promise.all(
    DOMAIN_SERVICES.map(async (service) => {
      try {
        pruned[service] = await env[bindingNameOf(service)].pruneEventTables();
      } catch (error) {
        failed[service] = errorText(error);
      }
    }),
  );
  logLine(Object.keys(failed).length > 0 ? "error" : "info", "gateway", "event tables pruned", { pruned, failed });
  return { pruned, failed };
}

/** The cron's other chore: the courses worker aborts media uploads nobody has touched for a day. */
export async function abortAbandonedUploads(env: GatewayBindings): Promise<void> {
  try {
    const aborted = await env.COURSES.abortAbandonedUploads();
    if (aborted > 0) logLine("info", "gateway", "abandoned uploads aborted", { aborted });
  } catch (error) {
    logLine("error", "gateway", "abandoned-upload sweep failed", { error: errorText(error) });
  }
}

/**
 * The cron's delivery chore, every minute: the notifications worker tries the deliveries whose time has come
 * (retries after a refusal, notices scheduled for later, attempts its fast path lost), a bounded batch per run.
 */
export async function sendDueDeliveries(env: GatewayBindings): Promise<void> {
  try {
    const report = await env.NOTIFICATIONS.sendDueDeliveries();
    if (report.attempted > 0) logLine("info", "gateway", "due deliveries tried", { ...report });
  } catch (error) {
    logLine("error", "gateway", "delivery sweep failed", { error: errorText(error) });
  }
}

/**
 * The cron's webhook chore, every minute: the events worker sends the outbound deliveries whose time has
 * come (retries on their schedule, and any its fast path after a Queue batch did not get to).
 */
export async function sendDueWebhooks(env: GatewayBindings): Promise<void> {
  try {
    const report = await env.EVENTS.sendDueWebhooks();
    if (report.attempted > 0) logLine("info", "gateway", "due webhooks tried", { ...report });
  } catch (error) {
    logLine("error", "gateway", "webhook sweep failed", { error: errorText(error) });
  }
}
