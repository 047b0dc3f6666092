import { v7 as uuidv7 } from "uuid";
import type { CourseOutline, CoursesRpc, LearnerCourse, OutlineLesson } from "@platform/contracts";

/**
 * The courses worker's RPC as the progress routes reach it, kept in memory: courses and their
 * lessons, who holds which grant, who subscribes. It answers as the real one does (`not-found` for
 * a draft or an unknown id, `readAt` on every outline), and can be switched off to answer
 * `unavailable` / throw, as an unreachable service would.
 */
export type StandInRpc = Pick<CoursesRpc, "hasAccess" | "courseOutline" | "outlineOfLesson" | "learnerCourses">;

export interface StandInCourse {
  id: string;
  title: string;
  slug: string;
  status: "draft" | "published" | "archived";
  lessons: OutlineLesson[];
}

export interface LessonSpec {
  readonly title?: string;
  readonly kind?: OutlineLesson["kind"];
  readonly durationSeconds?: number | null;
  readonly isPreview?: boolean;
}

export class CoursesStandIn implements StandInRpc {
  readonly courses = new Map<string, StandInCourse>();
  /** userId → courseId → grant. */
  readonly grants = new Map<string, Map<string, LearnerCourse>>();
  readonly subscribers = new Set<string>();
  /** False: every call fails as an unreachable service's would. */
  reachable = true;
  /** How many outline reads were answered (a lazy fill or an event's refresh each make one). */
  outlineReads = 0;

  /** A published course with these lessons (a video of 600 s each unless said otherwise). */
  course(lessons: readonly LessonSpec[], status: StandInCourse["status"] = "published"): StandInCourse {
    const id = uuidv7();
    const course: StandInCourse = {
      id,
      title: `Course ${id.slice(-6)}`,
      slug: `course-${id}`,
      status,
      lessons: lessons.map((spec, position) => lessonOf(spec, position)),
    };
    this.courses.set(id, course);
    return course;
  }

  addLesson(course: StandInCourse, spec: LessonSpec = {}): OutlineLesson {
    const lesson = lessonOf(spec, course.lessons.length);
    course.lessons.push(lesson);
    return lesson;
  }

  grant(userId: string, course: StandInCourse, via: LearnerCourse["via"][number] = "purchase", grantedAt = new Date()) {
    const mine = this.grants.get(userId) ?? new Map<string, LearnerCourse>();
    mine.set(course.id, {
      courseId: course.id,
      title: course.title,
      slug: course.slug,
      status: course.status,
      via: [via],
      grantedAt: grantedAt.toISOString(),
    });
    this.grants.set(userId, mine);
  }

  revoke(userId: string, course: StandInCourse) {
    this.grants.get(userId)?.delete(course.id);
  }

  hasAccess = async (userId: string, courseId: string): Promise<boolean> => {
    this.failIfUnreachable();
    return this.subscribers.has(userId) || this.grants.get(userId)?.has(courseId) === true;
  };

  courseOutline = async (courseId: string) => this.outline(this.courses.get(courseId));

  outlineOfLesson = async (lessonId: string) =>
    this.outline([...this.courses.values()].find((course) => course.lessons.some((lesson) => lesson.id === lessonId)));

  learnerCourses = async (userId: string) => {
    if (!this.reachable) return { ok: false as const, code: "unavailable" as const };
    return {
      ok: true as const,
      value: { grants: [...(this.grants.get(userId)?.values() ?? [])], subscribed: this.subscribers.has(userId) },
    };
  };

  private outline(course: StandInCourse | undefined) {
    if (!this.reachable) return { ok: false as const, code: "unavailable" as const };
    this.outlineReads += 1;
    if (!course || course.status === "draft") return { ok: false as const, code: "not-found" as const };
    const outline: CourseOutline = {
      id: course.id,
      title: course.title,
      slug: course.slug,
      status: course.status,
      lessons: course.lessons.map((lesson) => ({ ...lesson })),
      readAt: new Date().toISOString(),
    };
    return { ok: true as const, value: outline };
  }

  private failIfUnreachable() {
    if (!this.reachable) throw new Error("Network connection lost.");
  }
}

function lessonOf(spec: LessonSpec, position: number): OutlineLesson {
  const kind = spec.kind ?? "video";
  return {
    id: uuidv7(),
    position,
    title: spec.title ?? `Lesson ${position + 1}`,
    kind,
    durationSeconds: spec.durationSeconds === undefined ? (kind === "video" ? 600 : null) : spec.durationSeconds,
    isPreview: spec.isPreview ?? false,
    required: true,
  };
}
