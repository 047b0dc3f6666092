import { asc, eq, sql } from "drizzle-orm";
import { v7 as uuidv7 } from "uuid";
import { insertedRow } from "@platform/db";
import { ProblemError } from "@platform/http-kit";
import type { Database } from "./db/database.ts";
import { plans } from "./db/schema.ts";

export type Plan = typeof plans.$inferSelect;

export interface PlanFields {
  readonly name: string;
  readonly interval: "month" | "year";
  readonly amountMinor: number;
  readonly currency: string;
  readonly active: boolean;
}

/** Active plans for everyone; admins may ask for retired ones too. Cheapest first. */
export async function listPlans(db: Database, { includeInactive }: { includeInactive: boolean }): Promise<Plan[]> {
  const query = db.select().from(plans);
  return (includeInactive ? query : query.where(eq(plans.active, true))).orderBy(
    asc(plans.interval),
    asc(plans.amountMinor),
    asc(plans.id),
  );
}

export async function createPlan(db: Database, fields: PlanFields): Promise<Plan> {
  return insertedRow(
    await db
      .insert(plans)
      .values({ id: uuidv7(), ...fields })
      .returning(),
  );
}

/**
 * Changes a plan. Its interval is fixed (a monthly plan cannot become yearly under people who
 * chose it): make a new plan and retire this one instead. Price changes apply to new
 * subscriptions only; running ones keep the price they started with.
 */
export async function updatePlan(
  db: Database,
  planId: string,
  changes: Partial<Omit<PlanFields, "interval">>,
): Promise<Plan> {
  const [plan] = await db
    .update(plans)
    .set({ ...changes, updatedAt: sql`now()` })
    .where(eq(plans.id, planId))
    .returning();
  if (!plan) throw new ProblemError("not-found", { detail: "No such plan." });
  return plan;
}

export async function findPlan(db: Database, planId: string): Promise<Plan | undefined> {
  const [plan] = await db.select().from(plans).where(eq(plans.id, planId)).limit(1);
  return plan;
}
