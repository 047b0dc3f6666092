import type {
  AuthRpc,
  CoursesRpc,
  EventsRpc,
  NotificationsRpc,
  OutboxRelayRpc,
  ServiceBindingName,
} from "@platform/contracts";
import type { MetricsBindings, MetricsRpc } from "@platform/http-kit";
import type { ClientRateLimiter } from "./rate-limit/client-rate-limiter.ts";
import type { GatewaySettingsVars } from "./settings.ts";

/** The gateway's environment: one service binding per domain worker, plus the site. */
export type GatewayBindings = Record<
  Exclude<ServiceBindingName, "AUTH" | "COURSES" | "NOTIFICATIONS" | "EVENTS">,
  Fetcher & OutboxRelayRpc & MetricsRpc
> &
  GatewaySettingsVars &
  MetricsBindings & {
    /** The auth worker's default export is a WorkerEntrypoint: its binding speaks fetch and RPC. */
    readonly AUTH: Fetcher & OutboxRelayRpc & MetricsRpc & AuthRpc;
    readonly COURSES: Fetcher & OutboxRelayRpc & MetricsRpc & Pick<CoursesRpc, "abortAbandonedUploads">;
    /** The cron's delivery chore: mail, push and in-app notices whose time has come, retries included. */
    readonly NOTIFICATIONS: Fetcher & OutboxRelayRpc & MetricsRpc & Pick<NotificationsRpc, "sendDueDeliveries">;
    /** The cron's webhook chore: outbound deliveries whose time has come, retries included. */
    readonly EVENTS: Fetcher & OutboxRelayRpc & MetricsRpc & EventsRpc;
    /**
     * Secret: the bearer token `GET /metrics` answers (docs/observability.md#metrics). Unset (production,
     * where metrics go to Analytics Engine): `/metrics` is a 404. `npm start` generates one.
     */
    readonly METRICS_TOKEN?: string;
    readonly SITE: Fetcher;
    readonly HEALTH_TIMEOUT_MS?: string;
    /** Must equal the auth worker's: the `iss` and `aud` every access token is checked against. */
    readonly JWT_ISSUER: string;
    readonly JWT_AUDIENCE: string;
    /** Comma-separated origins allowed cross-origin access (with credentials); empty: none. */
    readonly CORS_ORIGINS?: string;
    /** Exact per-client limits (sign-in, registration): one object per client key. */
    readonly RATE_LIMITER: DurableObjectNamespace<ClientRateLimiter>;
    /**
     * Secret (≥ 32 characters): the HMAC key of live tickets (live/ticket.ts). Unset: the live routes answer 503.
     */
    readonly LIVE_TICKET_SECRET?: string;
    /** The coarse per-client limit on every other API request. */
    readonly API_RATE_LIMITER: RateLimit;
  };
