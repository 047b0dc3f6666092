/**
 * What the learner's pages show of their progress, changed in place: a lesson's state in the
 * course outline, a course's progress bars, the lesson's "mark complete" control and the
 * "course completed" notice. Used when the page itself records progress and when another device
 * does (the live socket). Every element is found by its `data-*` attributes, which the server
 * rendered (components/learning/*), and the text it needs travels with it.
 */
import { fill } from "../lib/learning-text";
import type { LessonState } from "../lib/progress";

const RANK: Record<LessonState, number> = { "not-started": 0, viewed: 1, completed: 2 };
const LABEL_ATTRIBUTE: Record<LessonState, string> = {
  "not-started": "labelNotStarted",
  viewed: "labelViewed",
  completed: "labelCompleted",
};

const byData = (name: string, value: string) => `[data-${name}="${CSS.escape(value)}"]`;

/**
 * A lesson's state in every outline on the page. Never backwards: a completed lesson stays
 * completed when a late "viewed" arrives (progress never un-completes one), and a lesson locked
 * for this visitor stays locked.
 */
export function applyLessonState(lessonId: string, state: LessonState): void {
  for (const item of document.querySelectorAll<HTMLElement>(`[data-outline] li${byData("lesson-id", lessonId)}`)) {
    const shown = item.dataset.state;
    if (shown === "locked" || !(state in RANK)) continue;
    if (shown && shown in RANK && RANK[shown as LessonState] > RANK[state]) continue;
    item.dataset.state = state;
    const outline = item.closest<HTMLElement>("[data-outline]");
    const label = outline?.dataset[LABEL_ATTRIBUTE[state]];
    const labelElement = item.querySelector("[data-state-label]");
    if (label && labelElement) labelElement.textContent = label;
  }
  if (state === "completed") showLessonCompleted(lessonId);
}

/** Every progress bar of the course on the page. */
export function applyPercent(courseId: string, percent: number): void {
  if (!Number.isInteger(percent) || percent < 0 || percent > 100) return;
  for (const meter of document.querySelectorAll<HTMLElement>(`[data-progress-meter]${byData("course-id", courseId)}`)) {
    meter.dataset.percent = String(percent);
    const bar = meter.querySelector("progress");
    if (bar) {
      bar.value = percent;
      bar.textContent = `${percent}%`;
    }
    const text = meter.querySelector("[data-progress-text]");
    if (text && meter.dataset.template) text.textContent = fill(meter.dataset.template, { percent });
  }
}

/** The "mark complete" control of that lesson turns into its "completed" badge. */
export function showLessonCompleted(lessonId: string): void {
  for (const control of document.querySelectorAll<HTMLElement>(
    `[data-complete-control]${byData("lesson-id", lessonId)}`,
  )) {
    control.dataset.state = "completed";
    control.querySelector<HTMLElement>("[data-complete-form]")?.setAttribute("hidden", "");
    control.querySelector<HTMLElement>("[data-completed-badge]")?.removeAttribute("hidden");
  }
}

/** The congratulations for a course that is now complete. */
export function showCourseCompleted(courseId: string): void {
  for (const notice of document.querySelectorAll<HTMLElement>(`[data-course-done]${byData("course-id", courseId)}`)) {
    notice.removeAttribute("hidden");
    notice.dataset.state = "completed";
  }
}
