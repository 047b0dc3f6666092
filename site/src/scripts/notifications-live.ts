/**
 * What the notifications worker publishes on the live socket (workers/notifications/src/delivery/in-app.ts and
 * notices/read-live.ts), read defensively: a message is only trusted as far as its fields have the right types.
 */
import type { LiveMessage } from "@platform/contracts";

export interface NoticeCreated {
  readonly title: string;
  /** Unread after this notice arrived. */
  readonly unread: number;
}

export interface NoticesRead {
  readonly ids: readonly string[];
  readonly unreadCount: number;
  /** More were read than the message lists: every notice shown is read. */
  readonly all: boolean;
}

const isCount = (value: unknown): value is number => typeof value === "number" && Number.isInteger(value) && value >= 0;

export function noticeCreated(message: LiveMessage): NoticeCreated | undefined {
  if (message.type !== "notification.created" || !isCount(message.unread)) return undefined;
  const notice = message.notice as { title?: unknown } | undefined;
  return { title: typeof notice?.title === "string" ? notice.title : "", unread: message.unread };
}

export function noticesRead(message: LiveMessage): NoticesRead | undefined {
  if (message.type !== "notification.read" || !isCount(message.unreadCount)) return undefined;
  const ids = Array.isArray(message.ids) ? message.ids.filter((id): id is string => typeof id === "string") : [];
  return { ids, unreadCount: message.unreadCount, all: message.all === true };
}
