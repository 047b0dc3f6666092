import type { AuthRpc, CoursesRpc, NotificationsRpc, PaymentsRpc, ProgressRpc } from "@platform/contracts";
import type { DatabaseBindings, DatabaseVariables, EventsQueueBindings } from "@platform/db";
import type { ServiceEnv } from "@platform/http-kit";
import type * as schema from "./db/schema.ts";

export interface UsersBindings extends DatabaseBindings, EventsQueueBindings {
  /** The auth worker: accounts (roles, status, erasure) are its data, changed through its RPC. */
  readonly AUTH: Fetcher & AuthRpc;
  /**
   * For a person's export, each part from the worker that owns it: their grants (courses), purchases (payments),
   * progress and certificates (progress), and inbox, preferences, push subscriptions and delivery log (notifications).
   */
  readonly COURSES: Fetcher & Pick<CoursesRpc, "learnerRecords">;
  readonly PAYMENTS: Fetcher & PaymentsRpc;
  readonly PROGRESS: Fetcher & Pick<ProgressRpc, "progressRecords">;
  readonly NOTIFICATIONS: Fetcher & Pick<NotificationsRpc, "notificationRecords">;
}

export type UsersEnv = ServiceEnv<UsersBindings, DatabaseVariables<typeof schema>>;
