import { asc, eq } from "drizzle-orm";
import type { NotificationRecords } from "@platform/contracts";
import type { Queryable } from "./db/database.ts";
import { deliveries, notices, preferences, pushSubscriptions } from "./db/schema.ts";

const iso = (at: Date | null) => at?.toISOString() ?? null;

/**
 * What the notifications service keeps about a person, for their export: the choices they made, their inbox,
 * their browsers' push subscriptions and the log of what was sent to them, oldest first. Left out on purpose:
 * a push subscription's endpoint path and keys (a capability to push to that browser: only its origin is
 * given), a delivery's rendered payload (the notice itself is in the inbox, the mail was sent to them) and the
 * provider's message id (the provider's internals, not the person's).
 */
export async function notificationRecords(db: Queryable, userId: string): Promise<NotificationRecords> {
  const [choices, inbox, browsers, log] = await Promise.all([
    db
      .select({
        category: preferences.category,
        channel: preferences.channel,
        enabled: preferences.enabled,
        updatedAt: preferences.updatedAt,
      })
      .from(preferences)
      .where(eq(preferences.userId, userId))
      .orderBy(asc(preferences.category), asc(preferences.channel)),
    db
      .select({
        id: notices.id,
        category: notices.category,
        template: notices.template,
        title: notices.title,
        body: notices.body,
        link: notices.link,
        createdAt: notices.createdAt,
        readAt: notices.readAt,
      })
      .from(notices)
      .where(eq(notices.userId, userId))
      .orderBy(asc(notices.createdAt), asc(notices.id)),
    db
      .select({
        id: pushSubscriptions.id,
        endpoint: pushSubscriptions.endpoint,
        userAgent: pushSubscriptions.userAgent,
        createdAt: pushSubscriptions.createdAt,
        lastSuccessAt: pushSubscriptions.lastSuccessAt,
      })
      .from(pushSubscriptions)
      .where(eq(pushSubscriptions.userId, userId))
      .orderBy(asc(pushSubscriptions.createdAt), asc(pushSubscriptions.id)),
    db
      .select({
        id: deliveries.id,
        channel: deliveries.channel,
        category: deliveries.category,
        template: deliveries.template,
        locale: deliveries.locale,
        recipient: deliveries.recipient,
        status: deliveries.status,
        attempts: deliveries.attempts,
        createdAt: deliveries.createdAt,
        sentAt: deliveries.sentAt,
        lastError: deliveries.lastError,
      })
      .from(deliveries)
      .where(eq(deliveries.userId, userId))
      .orderBy(asc(deliveries.createdAt), asc(deliveries.id)),
  ]);
  return {
    preferences: choices.map((choice) => ({ ...choice, updatedAt: choice.updatedAt.toISOString() })),
    notices: inbox.map((notice) => ({
      ...notice,
      createdAt: notice.createdAt.toISOString(),
      readAt: iso(notice.readAt),
    })),
    pushSubscriptions: browsers.map(({ endpoint, ...subscription }) => ({
      id: subscription.id,
      endpointOrigin: originOf(endpoint),
      userAgent: subscription.userAgent,
      createdAt: subscription.createdAt.toISOString(),
      lastSuccessAt: iso(subscription.lastSuccessAt),
    })),
    deliveries: log.map(({ recipient, ...delivery }) => ({
      id: delivery.id,
      channel: delivery.channel,
      category: delivery.category,
      template: delivery.template,
      locale: delivery.locale,
      // For push the recipient is a subscription id (listed above), for in-app there is none: only an address is theirs.
      emailAddress: delivery.channel === "email" ? recipient : null,
      status: delivery.status,
      attempts: delivery.attempts,
      createdAt: delivery.createdAt.toISOString(),
      sentAt: iso(delivery.sentAt),
      lastError: delivery.lastError,
    })),
  };
}

/** `https://push.example.net` of `https://push.example.net/wpush/v2/…`: where the browser's pushes go, not how to send one. */
function originOf(endpoint: string): string | null {
  try {
    const { origin } = new URL(endpoint);
    return origin === "null" ? null : origin;
  } catch {
    return null;
  }
}
