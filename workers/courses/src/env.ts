import type { AuthRpc, UsersRpc } from "@platform/contracts";
import type { DatabaseBindings, DatabaseVariables, EventsQueueBindings } from "@platform/db";
import type { ServiceEnv } from "@platform/http-kit";
import type * as schema from "./db/schema.ts";

export interface CoursesBindings extends DatabaseBindings, EventsQueueBindings {
  /** Course media (videos, files, cover images), uploaded straight from authors' browsers. */
  readonly MEDIA: R2Bucket;
  /**
   * Public reads: the catalog's pages, and each published course's page and anonymous outline
   * (src/cache). Invalidated by the course's writes and its COURSE_* events.
   */
  readonly CATALOG_CACHE: KVNamespace;
  /**
   * The users service: the name an instructor goes by, for a course's public outline (profiles
   * live there; this service keeps only the author's id).
   */
  readonly USERS: Pick<UsersRpc, "learnerName">;
  /** The auth service: the accounts an enrollment import names, by id or address, in one call. */
  readonly AUTH: Pick<AuthRpc, "findAccounts">;
  /**
   * Secret: signs the short-lived media links lesson reads hand out (media/signed-url.ts), one or
   * more comma-separated (the first signs, all verify), each at least 32 characters.
   */
  readonly MEDIA_URL_SECRET?: string;
  /**
   * Optional, all or none (see media/part-urls.ts): with them, upload parts go straight to R2's S3
   * endpoint on presigned URLs; without them, through this worker.
   */
  readonly R2_ACCESS_KEY_ID?: string;
  readonly R2_SECRET_ACCESS_KEY?: string;
  readonly R2_BUCKET_NAME?: string;
  readonly R2_ACCOUNT_ID?: string;
  readonly R2_S3_ENDPOINT?: string;
}

export type CoursesEnv = ServiceEnv<CoursesBindings, DatabaseVariables<typeof schema>>;
