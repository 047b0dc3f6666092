import type { ExecutionContext } from "hono";
import { v7 as uuidv7 } from "uuid";
import { inject } from "vitest";
import type { PlatformRole } from "@platform/contracts";
import { CORRELATION_HEADER, PRINCIPAL_ROLES_HEADER, PRINCIPAL_USER_HEADER } from "@platform/http-kit";

/**
 * A worker's Hono app called in-process (Node, `app.request`), for the routes project: route
 * validation and permissions against the real PostgreSQL schema without `wrangler dev`. The app
 * gets the database bindings of the routes project's PostgreSQL (through the Neon WebSocket proxy,
 * as in workerd), plus whatever the test passes: stand-ins for RPC bindings implementing their
 * contract from `@platform/contracts`, a recording Queue. A binding the route does not reach can
 * be left out.
 */

/** Who the caller is, as the gateway tells a worker after checking the token (packages/http-kit/src/principal.ts). */
export interface Principal {
  readonly userId: string;
  readonly roles: readonly PlatformRole[];
}

/** A new person with these roles (a fresh UUIDv7, as the auth service would give them). */
export function principal(...roles: PlatformRole[]): Principal {
  return { userId: uuidv7(), roles: roles.length > 0 ? roles : ["learner"] };
}

export interface InProcessRequest {
  /** Sent as JSON, unless it is a string (sent as it is, for malformed bodies). */
  readonly body?: unknown;
  /** Acting as this person; anonymous when left out. */
  readonly as?: Principal;
  readonly headers?: Record<string, string>;
}

export interface InProcessResponse<T = Record<string, unknown>> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
  /** From the request's log line: what it asked of PostgreSQL (absent when it never used the database). */
  readonly db?: DatabaseUsage;
}

export interface DatabaseUsage {
  readonly queries: number;
  readonly sessions: number;
}

/**
 * The platform's rule for every request: at most one PostgreSQL session (reads go over HTTP; a
 * transaction takes one). Every in-process request is held to it, so a route that starts opening
 * a second connection (two transactions at once, say) fails its own tests.
 */
const MAX_SESSIONS_PER_REQUEST = 1;

/** Request log lines by correlation id, read off console.log as the app writes them (the app's own sink). */
const requestLines = new Map<string, { db?: DatabaseUsage }>();
let listening = false;

function listenForRequestLines(): void {
  if (listening) return;
  listening = true;
  const write = console.log.bind(console);
  console.log = (...args: unknown[]) => {
    const [first] = args;
    if (typeof first === "string" && first.startsWith("{") && first.includes('"msg":"request"')) {
      try {
        const line = JSON.parse(first) as { correlationId?: string; db?: DatabaseUsage };
        if (line.correlationId) requestLines.set(line.correlationId, line);
        if (requestLines.size > 1_000) requestLines.delete(requestLines.keys().next().value ?? "");
      } catch {
        // Not a log line after all.
      }
    }
    write(...args);
  };
}

/** The part of a Hono app this needs (an `OpenAPIHono` or a plain `Hono`). */
export interface InProcessApp {
  request(input: string, init: RequestInit, env: object, executionCtx: ExecutionContext): Response | Promise<Response>;
}

export interface InProcessClient {
  request<T = Record<string, unknown>>(
    method: string,
    path: string,
    options?: InProcessRequest,
  ): Promise<InProcessResponse<T>>;
}

/** The database bindings every domain worker has, for the routes project's PostgreSQL. */
export function databaseBindings(): { DATABASE_URL: string; NEON_WS_PROXY: string } {
  return { DATABASE_URL: inject("routesDatabaseUrl"), NEON_WS_PROXY: `127.0.0.1:${inject("routesProxyPort")}` };
}

/**
 * An ExecutionContext that keeps what the app hands to `waitUntil` (closing the request's pool,
 * relaying its outbox) so the caller can wait for it, as workerd would before ending the request.
 */
function collectingExecutionContext(): { ctx: ExecutionContext; settled(): Promise<void> } {
  const pending: Promise<unknown>[] = [];
  return {
    ctx: { waitUntil: (promise) => void pending.push(promise), passThroughOnException: () => {}, props: {} },
    settled: async () => {
      // Work handed over while earlier work ran is waited for too.
      while (pending.length > 0) await Promise.allSettled(pending.splice(0));
    },
  };
}

/**
 * A client for one app. Each request gets the bindings, a fresh ExecutionContext and, when acting
 * as someone, the principal headers the gateway would set; it answers once the request's
 * `waitUntil` work is done, so no pool is left open behind it.
 */
export function inProcess(app: InProcessApp, bindings: object = {}): InProcessClient {
  const env = { ...databaseBindings(), ...bindings };
  listenForRequestLines();
  return {
    async request<T>(method: string, path: string, options: InProcessRequest = {}): Promise<InProcessResponse<T>> {
      const headers = new Headers(options.headers);
      if (!headers.has(CORRELATION_HEADER)) headers.set(CORRELATION_HEADER, `in-process-${uuidv7()}`);
      const correlationId = headers.get(CORRELATION_HEADER) ?? "";
      if (options.as) {
        headers.set(PRINCIPAL_USER_HEADER, options.as.userId);
        headers.set(PRINCIPAL_ROLES_HEADER, options.as.roles.join(","));
      }
      let body: string | undefined;
      if (options.body !== undefined) {
        body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
        if (!headers.has("content-type")) headers.set("content-type", "application/json");
      }
      const execution = collectingExecutionContext();
      try {
        const response = await app.request(
          `http://worker.internal${path}`,
          { method, headers, body },
          env,
          execution.ctx,
        );
        const text = await response.text();
        const db = requestLines.get(correlationId)?.db;
        requestLines.delete(correlationId);
        if (db && db.sessions > MAX_SESSIONS_PER_REQUEST) {
          throw new Error(
            `${method} ${path} opened ${db.sessions} PostgreSQL sessions; a request may open at most ${MAX_SESSIONS_PER_REQUEST}`,
          );
        }
        return {
          status: response.status,
          headers: response.headers,
          body: (text ? JSON.parse(text) : {}) as T,
          ...(db ? { db } : {}),
        };
      } finally {
        await execution.settled();
      }
    },
  };
}

/** A Queue producer that keeps what is sent (for `EVENTS_QUEUE`), so a test can see the events a write relayed. */
export function recordingQueue(): {
  sendBatch(messages: Iterable<{ body: unknown }>): Promise<void>;
  readonly sent: unknown[];
} {
  const sent: unknown[] = [];
  return {
    sent,
    sendBatch: async (messages) => {
      for (const message of messages) sent.push(message.body);
    },
  };
}
