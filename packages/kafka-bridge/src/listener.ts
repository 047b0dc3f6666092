import pg from "pg";
import { errorText, type Logger } from "./log.ts";
import type { BridgeMetrics } from "./metrics.ts";
import { Backoff } from "./timing.ts";

/** The channel every schema's outbox trigger notifies, with the schema's name as the payload. */
export const OUTBOX_CHANNEL = "platform_outbox";

export interface OutboxListener {
  isListening(): boolean;
  /** PostgreSQL is back: reconnect now rather than when the backoff ends. */
  reconnectNow(): void;
  stop(): Promise<void>;
}

/**
 * Keeps one connection LISTENing for outbox inserts and reconnects (with backoff) when it drops.
 * A notification only shortens the wait: after a reconnect every schema is woken, since
 * notifications sent meanwhile are gone, and the relays poll anyway.
 */
export function startOutboxListener(options: {
  readonly databaseUrl: string;
  readonly onNotify: (schema: string) => void;
  readonly onReconnect: () => void;
  readonly log: Logger;
  readonly metrics: BridgeMetrics;
}): OutboxListener {
  const { log, metrics } = options;
  const backoff = new Backoff(250, 10_000);
  let client: pg.Client | undefined;
  let listening = false;
  let stopped = false;
  let retryTimer: NodeJS.Timeout | undefined;
  let everConnected = false;

  const scheduleReconnect = (error: unknown) => {
    listening = false;
    if (stopped) return;
    metrics.recordError("listen");
    const delay = backoff.next();
    log("warn", "LISTEN connection lost; reconnecting", { error: errorText(error), retryInMs: delay });
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      void connect();
    }, delay);
  };

  const connect = async () => {
    if (stopped) return;
    const next = new pg.Client({
      connectionString: options.databaseUrl,
      connectionTimeoutMillis: 5_000,
      keepAlive: true,
    });
    client = next;
    let failed = false;
    const onFailure = (error: unknown) => {
      if (failed) return;
      failed = true;
      void next.end().catch(() => {});
      scheduleReconnect(error);
    };
    next.on("error", onFailure);
    next.on("end", () => onFailure(new Error("connection ended")));
    next.on("notification", (message) => {
      if (message.channel === OUTBOX_CHANNEL && message.payload) options.onNotify(message.payload);
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${OUTBOX_CHANNEL}`);
    } catch (error) {
      onFailure(error);
      return;
    }
    if (stopped) {
      await next.end().catch(() => {});
      return;
    }
    listening = true;
    backoff.reset();
    if (everConnected) log("info", "LISTEN connection restored");
    everConnected = true;
    options.onReconnect();
  };

  void connect();
  return {
    isListening: () => listening,
    reconnectNow: () => {
      if (retryTimer === undefined) return;
      clearTimeout(retryTimer);
      retryTimer = undefined;
      void connect();
    },
    stop: async () => {
      stopped = true;
      listening = false;
      clearTimeout(retryTimer);
      await client?.end().catch(() => {});
    },
  };
}
