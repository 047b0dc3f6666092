import type { LiveMessage } from "@platform/contracts";
import { errorText, logLine } from "@platform/http-kit";
import { pushToLearner, type LiveHubBindings } from "./live/push.ts";
import type { RecordOutcome } from "./record-progress.ts";

/**
 * What a recorded change tells the learner's open devices (docs/progress.md, "Live"). Every change
 * is a `progress` message (a position too: another device resumes from it); a first completion adds
 * `lesson-completed`, the course's completion `course-completed`. A change that changed nothing
 * tells nobody anything.
 */
export function messagesFor(outcome: RecordOutcome): LiveMessage[] {
  if (!outcome.changed) return [];
  const { lesson, course } = outcome;
  const messages: LiveMessage[] = [
    {
      type: "progress",
      courseId: lesson.courseId,
      lessonId: lesson.lessonId,
      state: lesson.state,
      positionSeconds: lesson.positionSeconds,
      percent: course.percent,
    },
  ];
  if (outcome.firsts.lessonCompleted) {
    messages.push({
      type: "lesson-completed",
      courseId: lesson.courseId,
      lessonId: lesson.lessonId,
      completedAt: lesson.completedAt,
      percent: course.percent,
    });
  }
  if (outcome.firsts.courseCompleted) {
    messages.push({ type: "course-completed", courseId: lesson.courseId, completedAt: course.completedAt });
  }
  return messages;
}

/**
 * Pushes the messages in order, after the response (the change has committed by then). A failure
 * is logged and goes no further: the database is the record, and a device that missed a message
 * reads its state from the REST API when it reconnects.
 */
export async function pushAll(
  env: LiveHubBindings,
  userId: string,
  messages: readonly LiveMessage[],
  correlationId: string,
): Promise<void> {
  try {
    for (const message of messages) await pushToLearner(env, userId, message);
  } catch (error) {
    logLine("warn", "progress", "live push failed", { userId, correlationId, error: errorText(error) });
  }
}
