import type { LiveMessage } from "@platform/contracts";
import { errorText, logLine } from "@platform/http-kit";
import type { NotificationsBindings } from "../env.ts";

/**
 * The `notification.read` live message: which notices were read and the unread count after, so every
 * open device of the person updates its badge and list. A `read-all` that changed more notices than fit
 * in a live message (16 KiB) names the first ones and says `all: true`: every notice older than the
 * message is read then.
 */
export const MAX_IDS_PER_MESSAGE = 200;

export function readMessage(ids: readonly string[], unreadCount: number, all = false): LiveMessage {
  return {
    type: "notification.read",
    ids: ids.slice(0, MAX_IDS_PER_MESSAGE),
    unreadCount,
    ...(all && { all: true }),
  };
}

/**
 * Publishes after the change committed (from `waitUntil`). A failure is logged and goes no further: the
 * database is the record, and a device that missed the message reads the count on its next request.
 */
export async function publishRead(
  env: Pick<NotificationsBindings, "PROGRESS">,
  userId: string,
  message: LiveMessage,
  correlationId: string,
): Promise<void> {
  try {
    const result = await env.PROGRESS.publishLive(userId, message);
    if (!result.ok) {
      logLine("warn", "notifications", "live read update refused", { userId, correlationId, code: result.code });
    }
  } catch (error) {
    logLine("warn", "notifications", "live read update failed", { userId, correlationId, error: errorText(error) });
  }
}
