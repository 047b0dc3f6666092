import type { AuthRpc, CoursesRpc, PaymentsRpc } from "@platform/contracts";
import type { DatabaseBindings, DatabaseVariables, EventsQueueBindings } from "@platform/db";
import type { ServiceEnv } from "@platform/http-kit";
import type * as schema from "./db/schema.ts";

export interface UsersBindings extends DatabaseBindings, EventsQueueBindings {
  /** The auth worker: accounts (roles, status, erasure) are its data, changed through its RPC. */
  readonly AUTH: Fetcher & AuthRpc;
  /** For a person's export: their grants are the courses worker's data, their purchases the payments worker's. */
  readonly COURSES: Fetcher & Pick<CoursesRpc, "learnerRecords">;
  readonly PAYMENTS: Fetcher & PaymentsRpc;
}

export type UsersEnv = ServiceEnv<UsersBindings, DatabaseVariables<typeof schema>>;
