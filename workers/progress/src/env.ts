import type { CourseEditorsRpc, CoursesRpc } from "@platform/contracts";
import type { DatabaseBindings, EventsQueueBindings } from "@platform/db";
import type { DomainEnv } from "@platform/service-kit";
import type { CertificateBindings } from "./certificates/bindings.ts";
import type * as schema from "./db/schema.ts";
import type { LiveHubBindings } from "./live/push.ts";

export interface ProgressBindings
  extends DatabaseBindings, EventsQueueBindings, LiveHubBindings, Omit<CertificateBindings, "COURSES"> {
  /**
   * The courses service decides who may learn what (`hasAccess`) and who may see a course's
   * figures (`mayEditCourse`), and tells each course's lesson list (`courseOutline`,
   * `outlineOfLesson`), title (`courseForSale`) and a learner's grants (`learnerCourses`), over RPC.
   */
  readonly COURSES: Fetcher &
    Pick<CoursesRpc, "hasAccess" | "courseOutline" | "outlineOfLesson" | "learnerCourses" | "courseForSale"> &
    CourseEditorsRpc;
}

export type ProgressEnv = DomainEnv<ProgressBindings, typeof schema>;
