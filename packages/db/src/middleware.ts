import { createMiddleware } from "hono/factory";
import type { Context } from "hono";
import { addRequestLogFields } from "@platform/http-kit";
import { openDatabase, type DatabaseBindings, type DatabaseHandle } from "./client.ts";

export type DatabaseVariables<TSchema extends Record<string, unknown>> = {
  /** Opens the request's pool on first use, so routes that never touch PostgreSQL never connect. */
  database: () => DatabaseHandle<TSchema>;
};

export interface DatabaseMiddlewareOptions<TSchema extends Record<string, unknown>> {
  /**
   * Work to do after the response has gone, with the request's pool still open (for example
   * relaying the events the request committed). Runs only when the request used the database;
   * it must handle its own failures (they never reach the client).
   */
  readonly afterResponse?: (c: Context, database: DatabaseHandle<TSchema>) => Promise<void>;
}

/**
 * Per-request database access for Hono: created lazily, closed with `waitUntil` after the
 * response so closing never delays the client.
 */
export function databaseMiddleware<TSchema extends Record<string, unknown>>(
  schema: TSchema,
  options: DatabaseMiddlewareOptions<TSchema> = {},
) {
  return createMiddleware<{ Bindings: DatabaseBindings; Variables: DatabaseVariables<TSchema> }>(async (c, next) => {
    let handle: DatabaseHandle<TSchema> | undefined;
    c.set("database", () => (handle ??= openDatabase(c.env, schema)));
    try {
      await next();
    } finally {
      if (handle) {
        const opened = handle;
        // What the request itself asked of PostgreSQL; work after the response is not counted.
        addRequestLogFields(c, { db: opened.usage() });
        const afterResponse = options.afterResponse;
        c.executionCtx.waitUntil(
          (afterResponse ? afterResponse(c, opened).catch(() => {}) : Promise.resolve()).finally(() => opened.close()),
        );
      }
    }
  });
}
