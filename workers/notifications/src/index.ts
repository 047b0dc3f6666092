import type {
  AccountMailRequest,
  DueDeliveriesReport,
  EventOutcome,
  NotificationRecords,
  NotificationsRpc,
  RpcResult,
} from "@platform/contracts";
import type { PruneReport } from "@platform/db";
import { SUBSCRIPTIONS, type PlatformEvent } from "@platform/events";
import { errorText, logLine } from "@platform/http-kit";
import { DomainWorker } from "@platform/service-kit/worker";
import { recordAccountMail } from "./account-mail.ts";
import { app } from "./app.ts";
import { consumeEvent } from "./consumer/consume-event.ts";
import type { Database } from "./db/database.ts";
import * as schema from "./db/schema.ts";
import { deliverDue } from "./delivery/deliver.ts";
import { channelSenders } from "./delivery/senders.ts";
import { deliverySettings } from "./delivery/settings.ts";
import { cloudflareConnect } from "./email/cloudflare-socket.ts";
import type { NotificationsBindings } from "./env.ts";
import { notificationRecords } from "./notification-records.ts";
import { deliveryRetentionDays, pruneDeliveries } from "./retention/delivery-retention.ts";

/**
 * The notifications worker (docs/notifications.md): its HTTP API (inbox, preferences, push subscriptions,
 * unsubscribe) through the app; the events it turns into notices; the account mails auth asks for; and the
 * cron's delivery sweep. TCP for SMTP comes from `cloudflare:sockets` here, so the app stays loadable in Node.
 */
export default class NotificationsWorker
  extends DomainWorker<NotificationsBindings, typeof schema>
  implements NotificationsRpc
{
  protected readonly service = { name: "notifications", schema, app, consumes: SUBSCRIPTIONS.NOTIFICATIONS };

  /** Records the event's notices and deliveries once; after the commit, the ones due now are tried at once. */
  protected override async applyEvent(db: Database, event: PlatformEvent): Promise<EventOutcome> {
    const { outcome, dueNow } = await consumeEvent(db, this.env, event);
    if (dueNow.length > 0) this.ctx.waitUntil(this.deliverNow(dueNow));
    return outcome;
  }

  async sendAccountMail(
    request: AccountMailRequest,
    correlationId: string,
  ): ReturnType<NotificationsRpc["sendAccountMail"]> {
    const recorded = await this.withDatabaseResult((db) => recordAccountMail(db, this.env.USERS, request), {
      writesEvents: false,
    });
    if (!recorded.ok) {
      if (recorded.code === "invalid_request") {
        logLine("warn", "notifications", "account mail refused", { correlationId, reason: recorded.reason });
        return { ok: false, code: "invalid_request" };
      }
      return recorded;
    }
    this.ctx.waitUntil(this.deliverNow([recorded.value.deliveryId]));
    return recorded;
  }

  /** The cron's chore (through the gateway's binding): every pending delivery whose time has come, bounded. */
  async sendDueDeliveries(): Promise<DueDeliveriesReport> {
    return this.withDatabase((db) => deliverDue(db, this.senders(), deliverySettings(this.env)));
  }

  /** The hourly retention chore: the outbox and dedupe marks as every worker's, and old finished deliveries. */
  override async pruneEventTables(): Promise<PruneReport & { deliveries: number }> {
    const report = await super.pruneEventTables();
    const deliveries = await this.withDatabase(
      (db) => pruneDeliveries(db, { retentionDays: deliveryRetentionDays(this.env) }),
      { writesEvents: false },
    );
    return { ...report, deliveries };
  }

  /** What this worker keeps about a person, for their data export (the users worker asks). */
  async notificationRecords(userId: string): Promise<RpcResult<NotificationRecords, "unavailable">> {
    return this.withDatabaseResult(async (db) => ({ ok: true, value: await notificationRecords(db, userId) }), {
      writesEvents: false,
    });
  }

  /** Tries the given deliveries now, on a pool of its own (the caller's closes with its answer); failures wait for the sweep. */
  private async deliverNow(ids: readonly string[]): Promise<void> {
    try {
      await this.withDatabase((db) => deliverDue(db, this.senders(), deliverySettings(this.env), { ids }));
    } catch (error) {
      logLine("error", "notifications", "immediate delivery failed; the sweep retries", { error: errorText(error) });
    }
  }

  private senders() {
    return channelSenders(this.env, { connect: cloudflareConnect });
  }
}
