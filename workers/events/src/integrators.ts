import { desc, eq } from "drizzle-orm";
import { v7 as uuidv7 } from "uuid";
import type { EventType } from "@platform/events";
import type { Queryable } from "./db/database.ts";
import { integrators, type CourseScope } from "./db/schema.ts";

export type Integrator = typeof integrators.$inferSelect;

export interface NewIntegrator {
  readonly name: string;
  readonly publicKey: { kty: "OKP"; crv: "Ed25519"; x: string };
  readonly eventTypes: EventType[];
  readonly scope: CourseScope;
}

/** Registers an integrator; undefined when the name is taken. */
export async function createIntegrator(db: Queryable, input: NewIntegrator): Promise<Integrator | undefined> {
  const [created] = await db
    .insert(integrators)
    .values({ id: uuidv7(), ...input })
    .onConflictDoNothing({ target: integrators.name })
    .returning();
  return created;
}

export async function listIntegrators(db: Queryable): Promise<Integrator[]> {
  return db.select().from(integrators).orderBy(desc(integrators.id));
}

export async function findIntegrator(db: Queryable, id: string): Promise<Integrator | undefined> {
  const [found] = await db.select().from(integrators).where(eq(integrators.id, id));
  return found;
}

/** Disables an integrator (idempotent: the first disabling time is kept); undefined when there is none. */
export async function disableIntegrator(db: Queryable, id: string): Promise<Integrator | undefined> {
  const found = await findIntegrator(db, id);
  if (!found || found.disabledAt) return found;
  const [disabled] = await db
    .update(integrators)
    .set({ disabledAt: new Date() })
    .where(eq(integrators.id, id))
    .returning();
  return disabled;
}

/** Whether this integrator may enroll learners in this course. */
export function courseInScope(scope: CourseScope, courseId: string): boolean {
  return scope.courses === "all" || scope.courses.includes(courseId.toLowerCase());
}
