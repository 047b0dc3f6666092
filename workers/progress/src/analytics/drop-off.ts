/**
 * The drop-off lesson: where the most learners who have not completed the course stopped (it is
 * the furthest lesson they reached). On a tie the earliest such lesson, since everything after it
 * is lost to those learners too. None when nobody stopped anywhere.
 */
export function markDropOff<T extends { readonly position: number; readonly stoppedHere: number }>(
  lessons: readonly T[],
): (T & { dropOff: boolean })[] {
  let worst: T | undefined;
  for (const lesson of lessons) {
    if (lesson.stoppedHere === 0) continue;
    if (
      !worst ||
      lesson.stoppedHere > worst.stoppedHere ||
      (lesson.stoppedHere === worst.stoppedHere && lesson.position < worst.position)
    ) {
      worst = lesson;
    }
  }
  return lessons.map((lesson) => ({ ...lesson, dropOff: lesson === worst }));
}
