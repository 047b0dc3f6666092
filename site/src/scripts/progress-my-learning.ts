/**
 * "My learning" follows the learner's other devices (pages/learning/index.astro): a progress
 * message moves that course's bar at once, and shortly after the list is read again from the page
 * itself (the server renders it, so the next lesson, the dates and the order come out as on a
 * fresh load, in the visitor's language). When the live socket missed messages, the same re-read.
 */
import { subscribeLive } from "./live";
import { applyPercent } from "./progress-dom";

/** Several messages arrive for one completion (progress, lesson-completed, course-completed): one re-read for all. */
const REFRESH_AFTER_MS = 400;

let timer: ReturnType<typeof setTimeout> | undefined;

async function refreshList(): Promise<void> {
  const list = document.querySelector("[data-learning-list]");
  if (!list) return;
  try {
    const response = await fetch(location.href, { headers: { accept: "text/html" }, credentials: "same-origin" });
    if (!response.ok) return;
    // Parsed, not run: a DOMParser document executes no script, and only the list's nodes are taken.
    const fresh = new DOMParser()
      .parseFromString(await response.text(), "text/html")
      .querySelector("[data-learning-list]");
    if (fresh) list.replaceChildren(...Array.from(fresh.childNodes, (node) => document.adoptNode(node)));
  } catch {
    // The bars already moved; the rest shows on the next load.
  }
}

function scheduleRefresh(): void {
  clearTimeout(timer);
  timer = setTimeout(() => void refreshList(), REFRESH_AFTER_MS);
}

if (document.querySelector("[data-learning-list]")) {
  subscribeLive({
    message(message) {
      if (typeof message.courseId !== "string") return;
      const card = document.querySelector(`[data-course-card="${CSS.escape(message.courseId)}"]`);
      if (!card) return;
      if (typeof message.percent === "number") applyPercent(message.courseId, message.percent);
      if (message.type !== "progress" || message.state !== "viewed") scheduleRefresh();
    },
    resync: () => void refreshList(),
    connection(open) {
      document.documentElement.dataset.live = open ? "open" : "closed";
    },
  });
}
