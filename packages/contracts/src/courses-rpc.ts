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

export interface CoursesRpc extends LearnerRecordsRpc {
  /** The seed's `hasAccess(userId, courseId)`: a grant (purchase, free, integrator) or an active subscription. */
  hasAccess(userId: string, courseId: string): Promise<boolean>;
  courseForSale(courseId: string): Promise<CourseForSale | undefined>;
  /** Aborts media uploads idle for a day (the gateway's cron calls it). */
  abortAbandonedUploads(): Promise<number>;
}
