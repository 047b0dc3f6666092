import type { Context } from "hono";
import type { ServiceHealth } from "@platform/contracts";
import { checkDatabase } from "./health.ts";
import type { DatabaseVariables } from "./middleware.ts";

/**
 * The internal `GET /health` every domain worker serves to the gateway: `pass` only when its
 * own schema is reachable through the Neon driver and migrated.
 */
export function serviceHealthHandler(service: string) {
  return async (c: Context<{ Variables: DatabaseVariables<Record<string, unknown>> }>) => {
    const database = await checkDatabase(c.var.database().db, service);
    const body: ServiceHealth = { service, status: database.status, checks: { database } };
    return c.json(body, database.status === "pass" ? 200 : 503);
  };
}
