import type { RpcResult } from "./auth-rpc.ts";
import type { LearnerRecordsRpc } from "./personal-data.ts";

/** What the courses worker offers other workers over RPC (through a service binding). */
export interface CourseForSale {
  readonly id: string;
  readonly title: string;
  readonly slug: string;
  readonly status: "draft" | "published" | "archived";
  /** Null: the course is free. */
  readonly price: { readonly amountMinor: number; readonly currency: string } | null;
}

/** One lesson of a course's outline, as the progress service needs it to follow a learner through the course. */
export interface OutlineLesson {
  readonly id: string;
  /** The lesson's place in the whole course, lowest first. */
  readonly position: number;
  readonly title: string;
  readonly kind: "video" | "text" | "file";
  /** Known for a video lesson once its media is in; null otherwise. */
  readonly durationSeconds: number | null;
  readonly isPreview: boolean;
  /** Whether completing the course needs this lesson (every lesson does, until courses offers optional ones). */
  readonly required: boolean;
}

/** A course's lesson list as it stands: what the progress service projects (docs/progress.md). */
export interface CourseOutline {
  readonly id: string;
  readonly title: string;
  readonly slug: string;
  readonly status: "published" | "archived";
  readonly lessons: readonly OutlineLesson[];
  /**
   * When the courses database read it (ISO 8601): a copy read later is newer, so a projection
   * written from two reads in the wrong order keeps the later one.
   */
  readonly readAt: string;
}

/** A course a learner holds an active grant of, with what they see of it in "my learning". */
export interface LearnerCourse {
  readonly courseId: string;
  readonly title: string;
  readonly slug: string;
  readonly status: "draft" | "published" | "archived";
  /** Every active grant's kind (a learner can hold a purchase and a free enrollment of one course). */
  readonly via: readonly ("purchase" | "subscription" | "free_enrollment" | "integrator")[];
  /** The earliest active grant (ISO 8601). */
  readonly grantedAt: string;
}

export interface LearnerCourses {
  /** Active grants only: a refunded purchase is not here. */
  readonly grants: readonly LearnerCourse[];
  /** Whether an all-access subscription is active now (it grants every course, so it lists none). */
  readonly subscribed: boolean;
}

export interface CoursesRpc extends LearnerRecordsRpc {
  /** The seed's `hasAccess(userId, courseId)`: a grant (purchase, free, integrator) or an active subscription. */
  hasAccess(userId: string, courseId: string): Promise<boolean>;
  courseForSale(courseId: string): Promise<CourseForSale | undefined>;
  /** Aborts media uploads idle for a day (the gateway's cron calls it). */
  abortAbandonedUploads(): Promise<number>;
  /** A published (or archived) course's lessons in order; `not-found` for no such course or a draft. */
  courseOutline(courseId: string): Promise<RpcResult<CourseOutline, "not-found" | "unavailable">>;
  /** The outline of the course a lesson belongs to, found by the lesson: `courseOutline`'s answer. */
  outlineOfLesson(lessonId: string): Promise<RpcResult<CourseOutline, "not-found" | "unavailable">>;
  /** The courses a learner holds an active grant of, and whether a subscription opens every course. */
  learnerCourses(userId: string): Promise<RpcResult<LearnerCourses, "unavailable">>;
}

/**
 * Whether a caller may edit a course, by the courses service's own rule (the course's author with
 * the instructor role, or an admin): for services that show authors what only they may see, such
 * as progress's course analytics. Kept apart from CoursesRpc until the courses worker implements it.
 */
export interface CourseEditorsRpc {
  mayEditCourse(
    caller: { readonly userId: string; readonly roles: readonly string[] },
    courseId: string,
  ): Promise<RpcResult<boolean, "not-found" | "unavailable">>;
}

/** Which of several courses a caller may edit, by `mayEditCourse`'s rule, read at once. */
export interface CourseEditRights {
  /** The caller may edit these (the author holding the instructor role, or an admin). */
  readonly editable: readonly string[];
  /** These exist and are someone else's (or the caller is not an instructor). */
  readonly notEditable: readonly string[];
  /** No such course. */
  readonly notFound: readonly string[];
}

/**
 * `mayEditCourse` for a list of courses in one read: the payments service sums a page of an
 * author's courses at once (`GET /api/payments/revenue`), and one call per course would cost a
 * database session each. Every id given lands in exactly one of the three lists.
 */
export interface CourseEditRightsRpc {
  mayEditCourses(
    caller: { readonly userId: string; readonly roles: readonly string[] },
    courseIds: readonly string[],
  ): Promise<RpcResult<CourseEditRights, "unavailable">>;
}
