/**
 * The header's unread badge, kept current while the page is open: a notice that arrives raises it
 * (and is announced to screen readers), reads on any device lower it. The server rendered the
 * count; once the live socket is caught up the count is read again, so a notice that came between
 * the render and the socket is not missed, and again whenever the hub says messages were lost.
 */
import { subscribeLive } from "./live";
import { noticeCreated, noticesRead } from "./notifications-live";

const MAX_SHOWN = 99;

function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
}

function show(link: HTMLElement, count: number): void {
  const badge = link.querySelector<HTMLElement>("[data-badge-count]");
  link.dataset.unreadCount = String(count);
  const name = link.dataset.name ?? "";
  link.setAttribute("aria-label", count > 0 ? name + fill(link.dataset.unreadTemplate ?? "", { n: count }) : name);
  if (badge) {
    badge.textContent = count > MAX_SHOWN ? `${MAX_SHOWN}+` : String(count);
    badge.hidden = count === 0;
  }
}

async function reread(link: HTMLElement): Promise<void> {
  try {
    const answer = await fetch("/notifications/unread", { headers: { accept: "application/json" } });
    if (!answer.ok) return;
    const { unreadCount } = (await answer.json()) as { unreadCount?: unknown };
    if (typeof unreadCount === "number") show(link, unreadCount);
  } catch {
    // The next live message or page brings the count.
  }
}

const link = document.querySelector<HTMLElement>("[data-notifications-badge]");
const announcer = document.querySelector<HTMLElement>("[data-badge-announcer]");
if (link) {
  let caughtUp = false;
  subscribeLive({
    message(message) {
      const created = noticeCreated(message);
      if (created) {
        show(link, created.unread);
        if (announcer) announcer.textContent = fill(link.dataset.arrivedTemplate ?? "", { title: created.title });
        return;
      }
      const read = noticesRead(message);
      if (read) show(link, read.unreadCount);
    },
    connection(open) {
      if (open && !caughtUp) {
        caughtUp = true;
        void reread(link);
      }
    },
    resync() {
      void reread(link);
    },
  });
}
