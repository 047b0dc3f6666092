/**
 * Whether an error means "PostgreSQL cannot be reached or gave up on us" (an outage, worth a 503
 * and a retry) rather than a fault in the request or the code (a 500). Drizzle wraps driver errors
 * (`DrizzleQueryError` with the driver's error as `cause`), and the Neon driver sometimes rejects
 * with the WebSocket's error event instead of an Error, so the whole `cause` chain is read.
 *
 * Server answers by SQLSTATE; driver-side failures, which carry no SQLSTATE, by the driver's own
 * messages (node-postgres, which the Neon driver embeds, and its HTTP query path) or the runtime's
 * network error codes.
 */

/** SQLSTATE classes that are an outage as a whole: 08 connection exception, 53 insufficient resources. */
const UNAVAILABLE_SQLSTATE_CLASSES = ["08", "53"];

const UNAVAILABLE_SQLSTATES = new Set([
  "57P01", // admin_shutdown: the server is going down (or our backend was terminated)
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now: starting up or shutting down
  "57014", // query_canceled: statement_timeout (we never cancel queries ourselves)
  "55P03", // lock_not_available: lock_timeout
  "25P03", // idle_in_transaction_session_timeout ended the session
]);

/** 55000 is a broad class of states; only "not accepting connections" (`ALLOW_CONNECTIONS false`) is an outage. */
const NOT_ACCEPTING_CONNECTIONS = /is not currently accepting connections/i;

/** What node-postgres and the Neon driver say when the connection fails or a timeout fires. */
const DRIVER_MESSAGES = [
  /^Connection terminated/i, // "… unexpectedly", "… due to connection timeout"
  /^timeout expired$/i, // connect timeout inside the client
  /^timeout exceeded when trying to connect$/i, // connect timeout while waiting for the pool
  /^Query read timeout$/i, // query_timeout
  /^Client has encountered a connection error/i, // a query on a client whose connection failed
  /^Network connection lost/i, // workerd, when a socket drops
  // HTTP queries (NeonDbError): the fetch itself failed (refused, dropped, or our timeout aborted it) …
  /^Error connecting to database:/i,
  // … or Neon's endpoint answered that it cannot run queries now (it cannot reach the compute, it is
  // overloaded or rate-limiting). A query that PostgreSQL refused is a 400 with a SQLSTATE instead.
  /^Server error \(HTTP status (5\d\d|429)\)/i,
];

const NETWORK_ERROR_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
]);

const MAX_CAUSES = 8;

export function isDatabaseUnavailable(error: unknown): boolean {
  return unavailableLink(error) !== undefined;
}

/**
 * For logs: what the driver or the server said about the outage, without the query. (A wrapped
 * query error's own message lists the query's parameters, which may be personal data.)
 */
export function unavailableReason(error: unknown): string | undefined {
  const link = unavailableLink(error);
  if (link === undefined) return undefined;
  const { code, message } = link as { code?: unknown; message?: unknown };
  const text = typeof message === "string" && message !== "" ? message : "WebSocket error";
  return typeof code === "string" ? `${code}: ${text}` : text;
}

function unavailableLink(error: unknown): object | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < MAX_CAUSES && typeof current === "object" && current !== null; depth++) {
    if (isUnavailableLink(current)) return current;
    // drizzle wraps with `cause`; the Neon driver's HTTP errors keep the fetch's failure as `sourceError`.
    const { cause, sourceError } = current as { cause?: unknown; sourceError?: unknown };
    current = cause ?? sourceError;
  }
  return undefined;
}

function isUnavailableLink(link: object): boolean {
  const { code, message, type } = link as { code?: unknown; message?: unknown; type?: unknown };
  if (typeof code === "string") {
    if (/^[0-9A-Z]{5}$/.test(code)) {
      if (UNAVAILABLE_SQLSTATES.has(code) || UNAVAILABLE_SQLSTATE_CLASSES.includes(code.slice(0, 2))) return true;
      if (code === "55000" && typeof message === "string" && NOT_ACCEPTING_CONNECTIONS.test(message)) return true;
      // Any other SQLSTATE is the server answering about this request: not an outage.
      return false;
    }
    if (NETWORK_ERROR_CODES.has(code)) return true;
  }
  // The WebSocket's `error` event, passed on as it is (it is an Event, not an Error).
  if (!(link instanceof Error) && type === "error") return true;
  return typeof message === "string" && DRIVER_MESSAGES.some((pattern) => pattern.test(message));
}
