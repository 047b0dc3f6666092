import { createMiddleware } from "hono/factory";
import { openDatabase, type DatabaseBindings, type DatabaseHandle } from "./client.ts";

export type DatabaseVariables<TSchema extends Record<string, unknown>> = {
  /** Opens the request's pool on first use, so routes that never touch PostgreSQL never connect. */
  database: () => DatabaseHandle<TSchema>;
};

/**
 * Per-request database access for Hono: created lazily, closed with `waitUntil` after the
 * response so closing never delays the client.
 */
export function databaseMiddleware<TSchema extends Record<string, unknown>>(schema: TSchema) {
  return createMiddleware<{ Bindings: DatabaseBindings; Variables: DatabaseVariables<TSchema> }>(
    async (c, next) => {
      let handle: DatabaseHandle<TSchema> | undefined;
      c.set("database", () => (handle ??= openDatabase(c.env, schema)));
      try {
        await next();
      } finally {
        if (handle) c.executionCtx.waitUntil(handle.close());
      }
    },
  );
}
