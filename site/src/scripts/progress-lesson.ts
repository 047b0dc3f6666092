/**
 * The lesson page's progress (pages/learn/[slug]/[lessonId].astro), for a signed-in learner:
 *
 * - records that the lesson was opened;
 * - "mark as complete" updates the page in place instead of reloading it (the form still works
 *   without this script: it posts to the page, which redirects back);
 * - a video that plays to its end completes the lesson the same way;
 * - listens to the live socket, so a lesson completed on another device or tab shows here at once,
 *   and reloads the states when the socket says it missed messages.
 *
 * On narrow screens the course outline starts folded, below the lesson.
 */
import type { LiveMessage } from "@platform/contracts";
import { subscribeLive } from "./live";
import { LESSON_ENDED_EVENT } from "./player";
import { readCourseStates, sendProgress, type RecordedProgress } from "./progress-api";
import { applyLessonState, applyPercent, showCourseCompleted } from "./progress-dom";
import type { LessonState } from "../lib/progress";

const NARROW = "(max-width: 1023px)";

function start(): void {
  const page = document.querySelector<HTMLElement>("[data-lesson-page]");
  if (!page) return;
  if (matchMedia(NARROW).matches)
    document.querySelector<HTMLDetailsElement>("details[data-outline]")?.removeAttribute("open");
  const courseId = page.dataset.courseId ?? "";
  const lessonId = page.dataset.lessonId ?? "";
  if (page.dataset.record !== "true") return;

  const applyRecorded = (answer: RecordedProgress) => {
    applyLessonState(answer.lessonId, answer.state);
    applyPercent(answer.courseId, answer.course.percent);
    if (answer.course.completedAt) showCourseCompleted(answer.courseId);
  };

  void sendProgress({ lessonId, event: "viewed" }).then((answer) => answer && applyRecorded(answer));

  const control = document.querySelector<HTMLElement>("[data-complete-control]");
  const form = control?.querySelector<HTMLFormElement>("[data-complete-form]");
  const button = form?.querySelector<HTMLButtonElement>("button[type=submit]");
  const failure = control?.querySelector<HTMLElement>("[data-complete-error]");

  async function complete(positionSeconds?: number): Promise<void> {
    if (!button || control?.dataset.state === "completed") return;
    const label = button.textContent;
    button.disabled = true;
    button.textContent = button.dataset.busyText ?? label;
    failure?.setAttribute("hidden", "");
    const answer = await sendProgress({
      lessonId,
      event: "completed",
      ...(positionSeconds !== undefined && { positionSeconds }),
    });
    button.disabled = false;
    button.textContent = label;
    if (answer) applyRecorded(answer);
    else failure?.removeAttribute("hidden");
  }

  form?.addEventListener("submit", (event) => {
    event.preventDefault();
    void complete();
  });
  document.addEventListener(LESSON_ENDED_EVENT, (event) => {
    const detail = (event as CustomEvent<{ lessonId: string; positionSeconds?: number }>).detail;
    if (detail.lessonId === lessonId) void complete(detail.positionSeconds);
  });

  const liveStatus = document.querySelector<HTMLElement>("[data-live-status]");
  subscribeLive({
    message: (message) => applyLive(courseId, message),
    async resync() {
      const states = await readCourseStates(courseId);
      if (!states) return;
      for (const lesson of states.lessons) applyLessonState(lesson.lessonId, lesson.state);
      applyPercent(courseId, states.percent);
      if (states.completedAt) showCourseCompleted(courseId);
    },
    connection(open) {
      if (liveStatus) liveStatus.hidden = open;
      document.documentElement.dataset.live = open ? "open" : "closed";
    },
  });
}

/** The progress messages of docs/progress.md, for this course. */
function applyLive(courseId: string, message: LiveMessage): void {
  if (message.courseId !== courseId) return;
  const lessonId = typeof message.lessonId === "string" ? message.lessonId : undefined;
  const percent = typeof message.percent === "number" ? message.percent : undefined;
  if (message.type === "progress" && lessonId && typeof message.state === "string") {
    applyLessonState(lessonId, message.state as LessonState);
  } else if (message.type === "lesson-completed" && lessonId) {
    applyLessonState(lessonId, "completed");
  } else if (message.type === "course-completed") {
    showCourseCompleted(courseId);
  }
  if (percent !== undefined) applyPercent(courseId, percent);
}

start();
