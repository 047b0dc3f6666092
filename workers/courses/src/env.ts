import type { DatabaseBindings, DatabaseVariables, EventsQueueBindings } from "@platform/db";
import type { ServiceEnv } from "@platform/http-kit";
import type * as schema from "./db/schema.ts";

export interface CoursesBindings extends DatabaseBindings, EventsQueueBindings {
  /** Course media (videos, files, cover images), uploaded straight from authors' browsers. */
  readonly MEDIA: R2Bucket;
  /** The published catalog's pages, invalidated by COURSE_* events. */
  readonly CATALOG_CACHE: KVNamespace;
}

export type CoursesEnv = ServiceEnv<CoursesBindings, DatabaseVariables<typeof schema>>;
