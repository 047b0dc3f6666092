import type { CourseEditRightsRpc, CoursesRpc } from "@platform/contracts";
import type { DatabaseBindings, DatabaseVariables, EventsQueueBindings } from "@platform/db";
import type { ServiceEnv } from "@platform/http-kit";
import type * as schema from "./db/schema.ts";

export interface PaymentsBindings extends DatabaseBindings, EventsQueueBindings {
  /**
   * What is for sale, who already has access, and who may see a course's revenue (its editors:
   * `mayEditCourses`), over RPC through the service binding.
   */
  readonly COURSES: Fetcher & CoursesRpc & CourseEditRightsRpc;
  /** Secret. Set: payments go through Stripe. Unset: the offline sandbox (local origins only). */
  readonly STRIPE_SECRET_KEY?: string;
  /** Secret: the webhook endpoint's signing secret (`whsec_…`). Required whenever STRIPE_SECRET_KEY is set. */
  readonly STRIPE_WEBHOOK_SECRET?: string;
  /** Another Stripe API origin (a local stand-in in tests); Stripe's own when unset. */
  readonly STRIPE_API_BASE?: string;
  /** How many days after paying a buyer may refund by themselves (admins always may). Default 14. */
  readonly REFUND_WINDOW_DAYS?: string;
  /** The site's public origin for checkout return URLs; the request's own origin when unset. */
  readonly PUBLIC_ORIGIN?: string;
  /** "enabled": allow the sandbox on a non-local origin too (a staging demo). Never in production. */
  readonly SANDBOX_PAYMENTS?: string;
}

export type PaymentsVariables = DatabaseVariables<typeof schema> & {
  /** Hands a request to this worker's own app, in-process: the sandbox delivers its webhooks this way. */
  loopback: (request: Request) => Promise<Response>;
};

export type PaymentsEnv = ServiceEnv<PaymentsBindings, PaymentsVariables>;
