import type { PushPayload } from "../push/types.ts";
import { sendWebPush, type SendWebPushOptions } from "../push/send.ts";
import { markPushSuccess, pushTargetById, removeSubscription } from "../push/subscriptions.ts";
import type { VapidKeys } from "../push/vapid.ts";
import type { ChannelSender } from "./attempt.ts";
import type { PushDeliveryPayload } from "./payloads.ts";

/**
 * Web Push to the subscription a delivery names (its `recipient`). A subscription its push service no longer
 * knows (404/410) is removed: the delivery fails, and no later notice is sent to it. One that was removed
 * meanwhile (the browser unsubscribed, the person was erased) fails the delivery for good.
 */
export function pushSender(
  vapid: () => Promise<VapidKeys | null>,
  options: Pick<SendWebPushOptions, "fetch"> = {},
): ChannelSender {
  return async (db, delivery) => {
    const keys = await vapid();
    if (!keys) return { outcome: "permanent", error: "Web Push is not configured (VAPID_PRIVATE_KEY)" };
    const target = delivery.recipient ? await pushTargetById(db, delivery.recipient) : null;
    if (!target) return { outcome: "permanent", error: "the push subscription was removed" };
    const payload = delivery.payload as unknown as PushDeliveryPayload;
    const message: PushPayload = {
      title: payload.title,
      body: payload.body,
      url: payload.url,
      noticeId: payload.noticeId,
    };
    const result = await sendWebPush(target, message, keys, { ...options, urgency: "normal" });
    if (result.outcome === "gone") await removeSubscription(db, target.id);
    if (result.outcome === "accepted") await markPushSuccess(db, target.id);
    return result;
  };
}
