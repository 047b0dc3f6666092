/**
 * Every metric the platform records, in one place (docs/observability.md#metrics): its name, kind,
 * meaning and label names. Workers record only what is declared here, so a typo cannot make a new
 * series, the gateway's `/metrics` view and Analytics Engine carry the same names, and the Grafana
 * dashboards and Prometheus alerts (deploy/) are checked against this list by a test.
 *
 * Every sample also carries `service`: the worker that recorded it.
 */
export type MetricKind = "counter" | "gauge" | "histogram";

export interface MetricDefinition {
  readonly kind: MetricKind;
  readonly help: string;
  readonly labels: readonly string[];
}

/** The upper bounds (seconds) of the request-duration histogram's buckets. */
export const DURATION_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

export const METRIC_CATALOGUE = {
  // --- RED, per worker and route (every worker's HTTP app records these) ---
  http_requests_total: {
    kind: "counter",
    help: "HTTP requests answered, by route pattern and status code.",
    labels: ["method", "route", "code"],
  },
  http_request_duration_seconds: {
    kind: "histogram",
    help: "Time from a request's arrival to its answer, by route pattern.",
    labels: ["method", "route"],
  },
  // --- Identity ---
  auth_registrations_total: { kind: "counter", help: "Accounts registered.", labels: [] },
  auth_sign_ins_total: {
    kind: "counter",
    help: "Password sign-ins, by outcome: succeeded, refused (wrong address or password), locked (refused while locked out).",
    labels: ["outcome"],
  },
  auth_lockouts_total: { kind: "counter", help: "Sign-in lock-outs engaged after repeated failures.", labels: [] },
  auth_refresh_reuse_detected_total: {
    kind: "counter",
    help: "Refresh tokens presented again after rotation: the session family is revoked.",
    labels: [],
  },
  gateway_rate_limited_total: {
    kind: "counter",
    help: "Requests refused with 429, by the limit that refused them.",
    labels: ["limit"],
  },
  // --- Payments ---
  payments_purchases_total: {
    kind: "counter",
    help: "Purchases that became paid (COURSE_PURCHASED written), counted as the transition is written.",
    labels: [],
  },
  payments_refunds_total: {
    kind: "counter",
    help: "Purchases that became refunded (PAYMENT_REFUNDED written), counted as the transition is written.",
    labels: [],
  },
  payments_webhooks_total: {
    kind: "counter",
    help: "Stripe webhooks received, by outcome: applied, unchanged, refused (disagrees with the payment), ignored, duplicate, rejected (bad signature or body), failed (an error answered 5xx).",
    labels: ["outcome"],
  },
  // --- Learning ---
  progress_course_completions_total: { kind: "counter", help: "Courses completed by a learner.", labels: [] },
  // --- Notifications ---
  notifications_deliveries_total: {
    kind: "counter",
    help: "Notification deliveries attempted, by channel and outcome: sent, retried (will be tried again), failed (given up).",
    labels: ["channel", "outcome"],
  },
  // --- Events pipeline ---
  events_queue_messages_total: {
    kind: "counter",
    help: "Queue messages the events worker handled, by queue and outcome: delivered, retried, dead_lettered.",
    labels: ["queue", "outcome"],
  },
  events_webhook_deliveries_total: {
    kind: "counter",
    help: "Outbound webhook attempts, by trigger (scheduled, manual) and outcome: succeeded, retried, failed.",
    labels: ["trigger", "outcome"],
  },
  outbox_pending_events: {
    kind: "gauge",
    help: "Outbox rows not yet confirmed delivered to every subscriber, per service schema (read at scrape time).",
    labels: ["schema"],
  },
  outbox_oldest_pending_age_seconds: {
    kind: "gauge",
    help: "Age of the oldest outbox row not yet confirmed delivered, per service schema; 0 when none (read at scrape time).",
    labels: ["schema"],
  },
  events_dead_letters: {
    kind: "gauge",
    help: "Events in the dead-letter table awaiting a replay or a decision (read at scrape time).",
    labels: [],
  },
  metrics_scrape_errors_total: {
    kind: "counter",
    help: "Workers the gateway's /metrics view could not read (their series are missing from that scrape).",
    labels: ["target"],
  },
} as const satisfies Record<string, MetricDefinition>;

export type MetricName = keyof typeof METRIC_CATALOGUE;

/** The label values a metric takes: exactly its declared label names. */
export type LabelsOf<N extends MetricName> = {
  readonly [L in (typeof METRIC_CATALOGUE)[N]["labels"][number]]: string;
};
