import { isDomainService, bindingNameOf, LIVE_PATH, LIVE_TICKET_PATH } from "@platform/contracts";
import { createServiceApp, respondWithProblem, runInSpan, startTrace } from "@platform/http-kit";
import { authenticate } from "./auth/authenticate.ts";
import { limitBodySize } from "./body-limit.ts";
import { apiCachePolicy } from "./cache-policy.ts";
import { cors } from "./cors.ts";
import { forwardTo, type GatewayContext, type GatewayEnv } from "./forward.ts";
import { platformHealth, statusesOnly } from "./health.ts";
import { openapiRoutes } from "./openapi/routes.ts";
import {
  RETENTION_CRON,
  abortAbandonedUploads,
  pruneEventTables,
  sendDueDeliveries,
  sendDueWebhooks,
  sweepOutboxes,
} from "./cron-chores.ts";
import type { GatewayBindings } from "./bindings.ts";
import { rateLimit } from "./rate-limit/middleware.ts";
import { siteApiEntrypoint } from "./rate-limit/site-entrypoint.ts";
import { issueLiveTicket, liveMethodNotAllowed, openLiveSocket } from "./live/routes.ts";
import { servePlatformMetrics } from "./metrics/route.ts";

export { ClientRateLimiter } from "./rate-limit/client-rate-limiter.ts";

// The public entry: a caller's traceparent is linked, never continued (docs/observability.md#traces).
const app = createServiceApp<GatewayEnv>({ service: "gateway", publicEntry: true });
// First, so that every answer (errors, 429s and 413s included) carries the CORS headers.
app.use(cors);
// Next, so that no API answer (the gateway's own 401s and 429s included) can become one a shared
// cache keeps for a signed-in caller or hands to another. The site's pages are the site's to mark.
app.use("/api/*", apiCachePolicy);
app.use("/.well-known/*", apiCachePolicy);

// Health fans out to every worker and schema: it is limited per client like the rest of /api.
// Anyone may ask; only an admin's verified token gets the details (error text, latencies), so
// the token is checked here too (none: anonymous; a bad one: 401, as everywhere under /api).
app.use("/api/health", authenticate);
app.use("/api/health", rateLimit);

app.get("/api/health", async (c) => {
  const health = await platformHealth(c.env, c.var.correlationId);
  const isAdmin = c.var.principal?.roles.includes("admin") ?? false;
  c.header("cache-control", "no-store");
  return c.json(isAdmin ? health : statusesOnly(health), health.status === "pass" ? 200 : 503);
});

// The API reference is public and needs no token (a stale one must not turn the docs into a 401),
// so it sits before `authenticate`, limited per client like everything else under /api.
app.use("/api/openapi.json", rateLimit);
app.use("/api/docs", rateLimit);
app.route("/", openapiRoutes);

// The Prometheus view of every worker's metrics: a scrape token, not a user's, so no `authenticate`;
// limited per client like the API, so the token cannot be guessed at speed.
app.use("/metrics", rateLimit);
app.get("/metrics", servePlatformMetrics);

/** The JWKS and OIDC discovery document are the auth worker's, published at the origin. */
app.get("/.well-known/jwks.json", (c) => forwardTo(c, c.env.AUTH, "auth"));
app.get("/.well-known/openid-configuration", (c) => forwardTo(c, c.env.AUTH, "auth"));

app.use("/api/*", authenticate);
app.use("/api/*", rateLimit);
app.use(limitBodySize);

/**
 * The learner's live socket and its tickets (docs/live.md): the gateway checks the ticket itself, before any
 * object is reached, then forwards the upgrade to the progress worker. Not a domain of its own, so declared here.
 */
app.post(LIVE_TICKET_PATH, issueLiveTicket);
app.all(LIVE_TICKET_PATH, liveMethodNotAllowed("POST"));
app.get(LIVE_PATH, openLiveSocket);
app.all(LIVE_PATH, liveMethodNotAllowed("GET"));

/** `/api/<domain>` and everything under it belongs to that domain's worker, path unchanged. */
const toDomain = (c: GatewayContext) => {
  const service = c.req.param("service") ?? "";
  if (!isDomainService(service)) {
    return respondWithProblem(c, "not-found", { detail: `No API is served under /api/${service}.` });
  }
  return forwardTo(c, c.env[bindingNameOf(service)], service);
};
app.all("/api/:service/*", toDomain);
app.all("/api/:service", toDomain);

/** Everything outside /api is the site's. */
app.all("*", (c) => forwardTo(c, c.env.SITE, "site"));

export { app };

/** The site's server-side calls come in here, over its service binding, carrying the visitor's address. */
export const SiteApi = siteApiEntrypoint((request, env, ctx) => app.fetch(request, env, ctx));

export default {
  fetch: app.fetch,
  // Each cron run is a trace of its own, so the chores' log lines of one run can be found together.
  scheduled(controller, env, ctx) {
    runInSpan(startTrace(), () => {
      if (controller.cron === RETENTION_CRON) {
        ctx.waitUntil(pruneEventTables(env));
        return;
      }
      ctx.waitUntil(sweepOutboxes(env));
      ctx.waitUntil(abortAbandonedUploads(env));
      ctx.waitUntil(sendDueDeliveries(env));
      ctx.waitUntil(sendDueWebhooks(env));
    });
  },
} satisfies ExportedHandler<GatewayBindings>;
