import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Env } from "hono";
import {
  databaseMiddleware,
  relayAfterWrites,
  serviceHealthHandler,
  type DatabaseBindings,
  type DatabaseVariables,
  type outboxTable,
  type processedEventsTable,
} from "@platform/db";
import { createApiApp, serveOpenApiDocument } from "@platform/http-kit/openapi";
import type { ServiceEnv } from "@platform/http-kit";
import { API_SCOPE_DESCRIPTIONS } from "@platform/contracts";
import { domainErrorHandler, thrownValuesAsErrors } from "./unavailable.ts";

/**
 * A service's drizzle schema module: every service schema carries the transactional outbox, and
 * a service that consumes events its `processedEvents` (the dedupe marks).
 */
export type ServiceSchema = Record<string, unknown> & {
  readonly outbox: ReturnType<typeof outboxTable>;
  readonly processedEvents?: ReturnType<typeof processedEventsTable>;
};

/** The Hono env of a domain worker's app: its bindings, plus the per-request database. */
export type DomainEnv<Bindings extends DatabaseBindings, TSchema extends ServiceSchema> = ServiceEnv<
  Bindings,
  DatabaseVariables<TSchema>
>;

export interface DomainAppOptions<TSchema extends ServiceSchema> {
  /** The service's name: its log lines, its health answer, its schema's owner. */
  readonly service: string;
  readonly schema: TSchema;
  readonly openapi?: {
    readonly title?: string;
    readonly description?: string;
    readonly tags?: readonly { readonly name: string; readonly description?: string }[];
  };
}

/**
 * The two ways an integrator's API key is presented (docs/integrators.md), beside the `bearer`
 * scheme of people's tokens; routes that take a key name its scope under both (`scopedSecurity`).
 */
function registerApiKeySecurity(app: Pick<OpenAPIHono, "openAPIRegistry">): void {
  app.openAPIRegistry.registerComponent("securitySchemes", "apiKey", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "elk_<key id>_<secret>",
    description: "An API key made by an admin (`POST /api/auth/api-keys`), sent as `Authorization: Bearer <key>`.",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "clientCredentials", {
    type: "oauth2",
    description: "An API key exchanged for a 5-minute access token (RFC 6749 §4.4).",
    flows: { clientCredentials: { tokenUrl: "/api/auth/oauth/token", scopes: { ...API_SCOPE_DESCRIPTIONS } } },
  });
}

/**
 * The app every domain worker starts from, so that none repeats the bootstrap: the platform's
 * conventions (correlation id, one JSON log line per request, problem+json for every error, zod
 * validation answering 400 with field errors), 503 with `Retry-After` whenever PostgreSQL cannot be
 * reached (`domainErrorHandler`), a per-request database whose outbox is relayed to
 * the Queue once a write has answered (the cron sweep catches whatever that misses), the internal
 * `GET /health` and `GET /openapi.json`. The worker then mounts its routes with `app.route`.
 */
export function createDomainApp<E extends Env & DomainEnv<DatabaseBindings, TSchema>, TSchema extends ServiceSchema>(
  options: DomainAppOptions<TSchema>,
): OpenAPIHono<E> {
  const { service, schema } = options;
  const app = createApiApp<E>({ service });
  app.onError(domainErrorHandler(service));
  app.use(thrownValuesAsErrors);
  app.use(databaseMiddleware(schema, { afterResponse: relayAfterWrites(service, schema.outbox) }));
  app.get("/health", serviceHealthHandler(service));
  registerApiKeySecurity(app);
  serveOpenApiDocument(app, {
    title: options.openapi?.title ?? `Edge Learning: ${service}`,
    version: "0.1.0",
    ...(options.openapi?.description && { description: options.openapi.description }),
    ...(options.openapi?.tags && { tags: options.openapi.tags }),
  });
  return app;
}
