/**
 * The inbox page while it is open: a notice that arrives is offered (the list itself is not
 * rewritten under the reader's eyes), and notices read on another device are shown read here.
 */
import { subscribeLive } from "./live";
import { noticeCreated, noticesRead } from "./notifications-live";

function markShownRead(item: HTMLElement): void {
  item.dataset.read = "true";
  item.classList.remove("border-accent");
  item.querySelector("[data-unread-marker]")?.remove();
  item.querySelector("[data-mark-read]")?.remove();
  const dot = item.querySelector<HTMLElement>("[data-unread-dot]");
  dot?.classList.replace("bg-accent", "bg-transparent");
  item.querySelector("h2")?.classList.replace("font-bold", "font-medium");
}

const banner = document.querySelector<HTMLElement>("[data-new-notices]");
subscribeLive({
  message(message) {
    if (noticeCreated(message)) {
      if (banner) banner.hidden = false;
      return;
    }
    const read = noticesRead(message);
    if (!read) return;
    for (const item of document.querySelectorAll<HTMLElement>("[data-notice]")) {
      if (read.all || read.ids.includes(item.dataset.notice ?? "")) markShownRead(item);
    }
  },
});
