import type { NeonDatabase } from "drizzle-orm/neon-serverless";
import type * as schema from "./db/schema.ts";

export type Database = NeonDatabase<typeof schema>;
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];

/** What moved a purchase or subscription, for the status history and the events' correlation. */
export interface Cause {
  /** e.g. `checkout.session.completed`, `refund requested`. */
  readonly what: string;
  readonly stripeEventId?: string;
  readonly correlationId: string;
}
