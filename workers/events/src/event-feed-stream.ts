import type { FeedEntry, FeedPage } from "./event-feed.ts";

/**
 * The event feed as Server-Sent Events: each entry as `id: <cursor>`, `event: <type>`,
 * `data: <envelope JSON>`. It reads the feed from a cursor, then polls for what comes next; a
 * comment keeps idle connections (and proxies) open; after `maxMs` it ends, and the client
 * reconnects with `Last-Event-ID` (the last id it got), so a stream never holds one request, its
 * database pool or its subrequests for ever. Knows nothing of HTTP or the database: it is given a
 * page reader.
 */
export interface FeedStreamOptions {
  /** Reads the page after a cursor. */
  readonly read: (after: string) => Promise<FeedPage>;
  /** The cursor to start after. */
  readonly after: string;
  /** How long to wait before looking again when there was nothing new. */
  readonly pollMs: number;
  /** A comment at least this often when nothing else was sent. */
  readonly heartbeatMs: number;
  /** When the stream ends by itself. */
  readonly maxMs: number;
  /** The reconnection delay the client is asked to use (SSE's `retry:`). */
  readonly retryMs: number;
  /** Called once when the stream ends, by itself, by a failure or because the client went away. */
  readonly onEnd: (reason: "expired" | "failed" | "cancelled", error?: unknown) => void | Promise<void>;
  readonly now?: () => number;
}

const encoder = new TextEncoder();

export function formatFeedEvent(entry: FeedEntry): string {
  return `id: ${entry.cursor}\nevent: ${entry.envelope.type}\ndata: ${JSON.stringify(entry.envelope)}\n\n`;
}

export function feedStream(options: FeedStreamOptions): ReadableStream<Uint8Array> {
  const now = options.now ?? Date.now;
  const deadline = now() + options.maxMs;
  let cursor = options.after;
  let lastSent = now();
  let ended = false;
  let wake: (() => void) | undefined;

  const end = async (reason: "expired" | "failed" | "cancelled", error?: unknown) => {
    if (ended) return;
    ended = true;
    wake?.();
    await options.onEnd(reason, error);
  };
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  return new ReadableStream<Uint8Array>({
    start(controller) {
      // Before any event, so that even a client dropped at once knows how long to wait.
      controller.enqueue(encoder.encode(`retry: ${options.retryMs}\n\n`));
    },
    // Called whenever the client can take more: answers with the next events, a heartbeat, or the end.
    async pull(controller) {
      while (!ended) {
        const left = deadline - now();
        if (left <= 0) {
          await end("expired");
          controller.close();
          return;
        }
        let page: FeedPage;
        try {
          page = await options.read(cursor);
        } catch (error) {
          // The client reconnects with Last-Event-ID after `retry`, and loses nothing.
          await end("failed", error);
          controller.close();
          return;
        }
        if (ended) return;
        if (page.items.length > 0) {
          controller.enqueue(encoder.encode(page.items.map(formatFeedEvent).join("")));
          cursor = page.nextCursor;
          lastSent = now();
          return;
        }
        if (now() - lastSent >= options.heartbeatMs) {
          controller.enqueue(encoder.encode(": heartbeat\n\n"));
          lastSent = now();
          return;
        }
        await pause(Math.min(options.pollMs, left, Math.max(0, options.heartbeatMs - (now() - lastSent))));
      }
    },
    async cancel() {
      await end("cancelled");
    },
  });
}
