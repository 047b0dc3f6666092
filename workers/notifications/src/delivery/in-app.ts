import { and, count, eq, isNull } from "drizzle-orm";
import type { ProgressRpc } from "@platform/contracts";
import { errorText } from "@platform/http-kit";
import { notices } from "../db/schema.ts";
import type { ChannelSender } from "./attempt.ts";
import type { InAppDeliveryPayload } from "./payloads.ts";

/** The live message a new notice goes out as (docs/notifications.md); the site adds it to the bell's list. */
export const NOTICE_CREATED = "notification.created";

/**
 * An in-app delivery: the notice is in the person's inbox (put there now if it was scheduled for now), and their
 * open devices are told through their LiveHub, with the new unread count. The inbox is the record: a device that
 * missed the message reads it from `GET /api/notifications`, so a hub that cannot be reached is retried only a
 * few times (settings.ts).
 */
export function inAppSender(progress: Pick<ProgressRpc, "publishLive">): ChannelSender {
  return async (db, delivery) => {
    if (!delivery.userId) return { outcome: "permanent", error: "an in-app notice needs a person" };
    const payload = delivery.payload as unknown as InAppDeliveryPayload;
    await db
      .insert(notices)
      .values({
        id: payload.noticeId,
        userId: delivery.userId,
        category: delivery.category,
        template: payload.template,
        title: payload.title,
        body: payload.body,
        link: payload.link,
        causedBy: payload.causedBy,
      })
      .onConflictDoNothing({ target: notices.id });
    const [notice] = await db
      .select({ createdAt: notices.createdAt })
      .from(notices)
      .where(eq(notices.id, payload.noticeId));
    if (!notice) return { outcome: "permanent", error: "the notice is gone" };
    const [unread] = await db
      .select({ count: count() })
      .from(notices)
      .where(and(eq(notices.userId, delivery.userId), isNull(notices.readAt)));
    try {
      const published = await progress.publishLive(delivery.userId, {
        type: NOTICE_CREATED,
        notice: {
          id: payload.noticeId,
          title: payload.title,
          body: payload.body,
          link: payload.link,
          createdAt: notice.createdAt.toISOString(),
          category: delivery.category,
        },
        unread: unread?.count ?? 0,
      });
      if (published.ok) return { outcome: "accepted", providerId: `live-seq:${published.value.seq}` };
      return published.code === "invalid_message"
        ? { outcome: "permanent", error: "the live message was refused as invalid" }
        : { outcome: "temporary", error: "the person's live hub could not be reached" };
    } catch (error) {
      return { outcome: "temporary", error: `publishLive failed: ${errorText(error)}` };
    }
  };
}
