import { createHash, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { StripeApiError, invalid } from "./errors.ts";
import { parseStripeForm, type FormObject } from "./form.ts";
import { ids } from "./ids.ts";
import { API_VERSION, StandInState, type EventObject, type RequestContext } from "./state.ts";
import { deliver, type DeliveryResult } from "./webhooks.ts";

export interface StandInOptions {
  /** The only API key accepted (`Authorization: Bearer …`), e.g. `sk_test_…`. */
  readonly secretKey: string;
  /** The webhook endpoint's signing secret (`whsec_…`). */
  readonly webhookSecret: string;
  /** Where events are POSTed; settable later (setWebhookUrl), since the endpoint often starts after this. */
  readonly webhookUrl?: string;
  /** 0 (default): any free port. Always on 127.0.0.1. */
  readonly port?: number;
  /** Headers added to every webhook delivery. */
  readonly deliveryHeaders?: () => Record<string, string>;
}

export interface StripeStandIn {
  /** e.g. `http://127.0.0.1:41234`: give it to the SDK as its API origin. */
  readonly url: string;
  readonly state: StandInState;
  setWebhookUrl(url: string): void;
  /** Delivers events to the webhook endpoint, one after another, awaiting each. */
  deliver(events: readonly EventObject[], options?: { headers?: Record<string, string> }): Promise<DeliveryResult[]>;
  /** Waits until the deliveries the API started on its own (refunds, updates) have finished. */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

interface Answer {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Record<string, string>;
}

type Handler = (match: RegExpExecArray, request: ParsedRequest) => Answer | Promise<Answer>;

interface ParsedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly raw: string;
  readonly context: RequestContext;
}

const MAX_BODY_BYTES = 1024 * 1024;

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(invalid("Request body too large."));
        request.destroy();
      } else chunks.push(chunk);
    });
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

function sameSecret(given: string, expected: string): boolean {
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

function jsonBody(raw: string): Record<string, unknown> {
  if (raw.trim() === "") return {};
  const parsed: unknown = JSON.parse(raw);
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw invalid("Expected a JSON object.");
  return parsed as Record<string, unknown>;
}

/**
 * A local stand-in for the parts of Stripe's API the payments worker uses, reached through the
 * official SDK (form-encoded requests, Stripe's objects, errors and idempotency), plus a
 * test-control API under `/_stand-in/` that plays the buyer, the bank and the dashboard, and
 * webhooks signed exactly as Stripe signs them. Loopback only; memory only.
 */
export async function startStripeStandIn(options: StandInOptions): Promise<StripeStandIn> {
  let baseUrl = "";
  let webhookUrl = options.webhookUrl;
  const state = new StandInState(() => baseUrl);
  const idempotent = new Map<string, { fingerprint: string; answer: Answer }>();
  const requestLog: Array<{
    method: string;
    path: string;
    idempotencyKey: string | null;
    status: number;
    params: FormObject;
  }> = [];
  const inFlight = new Set<Promise<unknown>>();

  const deliverAll = async (events: readonly EventObject[], headers: Record<string, string> = {}) => {
    if (!webhookUrl) return [];
    const results: DeliveryResult[] = [];
    for (const event of events) {
      results.push(
        await deliver(webhookUrl, options.webhookSecret, event, {
          headers: { ...options.deliveryHeaders?.(), ...headers },
        }),
      );
    }
    return results;
  };
  /** Like Stripe: the API answers first, the events it caused are delivered after. */
  const deliverLater = (events: readonly EventObject[]) => {
    const running = deliverAll(events).catch(() => []);
    inFlight.add(running);
    void running.finally(() => inFlight.delete(running));
  };
  const control = async (events: EventObject[], body: Record<string, unknown>): Promise<Answer> => {
    const deliveries = body.deliver === false ? [] : await deliverAll(events);
    return { status: 200, body: { events, deliveries } };
  };

  const api: Array<[string, RegExp, Handler]> = [
    [
      "POST",
      /^\/v1\/checkout\/sessions$/,
      (_, request) => ({ status: 200, body: state.createSession(parseStripeForm(request.raw)) }),
    ],
    ["GET", /^\/v1\/checkout\/sessions\/([^/]+)$/, (match) => ({ status: 200, body: state.session(match[1] ?? "") })],
    [
      "POST",
      /^\/v1\/checkout\/sessions\/([^/]+)\/expire$/,
      (match, request) => {
        const { session, events } = state.expireSession(match[1] ?? "", request.context);
        deliverLater(events);
        return { status: 200, body: session };
      },
    ],
    [
      "GET",
      /^\/v1\/payment_intents\/([^/]+)$/,
      (match) => ({ status: 200, body: state.paymentIntent(match[1] ?? "") }),
    ],
    ["GET", /^\/v1\/charges\/([^/]+)$/, (match) => ({ status: 200, body: state.charge(match[1] ?? "") })],
    [
      "POST",
      /^\/v1\/(?:payment_intents|charges)\/([^/]+)$/,
      (match, request) => {
        const { object, events } = state.updateMetadata(match[1] ?? "", parseStripeForm(request.raw), request.context);
        deliverLater(events);
        return { status: 200, body: object };
      },
    ],
    ["GET", /^\/v1\/customers\/([^/]+)$/, (match) => ({ status: 200, body: state.customer(match[1] ?? "") })],
    [
      "DELETE",
      /^\/v1\/customers\/([^/]+)$/,
      (match, request) => {
        const { deleted, events } = state.deleteCustomer(match[1] ?? "", request.context);
        deliverLater(events);
        return { status: 200, body: deleted };
      },
    ],
    [
      "POST",
      /^\/v1\/refunds$/,
      (_, request) => {
        const { refund, events } = state.createRefund(parseStripeForm(request.raw), request.context);
        deliverLater(events);
        return { status: 200, body: refund };
      },
    ],
    ["GET", /^\/v1\/refunds\/([^/]+)$/, (match) => found(state.refunds.get(match[1] ?? ""), "refund", match[1])],
    ["GET", /^\/v1\/subscriptions\/([^/]+)$/, (match) => ({ status: 200, body: state.subscription(match[1] ?? "") })],
    [
      "POST",
      /^\/v1\/subscriptions\/([^/]+)$/,
      (match, request) => {
        const { subscription, events } = state.updateSubscription(
          match[1] ?? "",
          parseStripeForm(request.raw),
          request.context,
        );
        deliverLater(events);
        return { status: 200, body: subscription };
      },
    ],
    [
      "DELETE",
      /^\/v1\/subscriptions\/([^/]+)$/,
      (match, request) => {
        const { subscription, events } = state.cancelSubscription(match[1] ?? "", request.context);
        deliverLater(events);
        return { status: 200, body: subscription };
      },
    ],
    ["GET", /^\/v1\/invoices\/([^/]+)$/, (match) => found(state.invoices.get(match[1] ?? ""), "invoice", match[1])],
    ["GET", /^\/v1\/disputes\/([^/]+)$/, (match) => found(state.disputes.get(match[1] ?? ""), "dispute", match[1])],
    [
      "GET",
      /^\/v1\/events\/([^/]+)$/,
      (match) =>
        found(
          state.events.find((event) => event.id === match[1]),
          "event",
          match[1],
        ),
    ],
  ];

  const controls: Array<
    [
      string,
      RegExp,
      (match: RegExpExecArray, body: Record<string, unknown>, request: ParsedRequest) => Promise<Answer> | Answer,
    ]
  > = [
    [
      "POST",
      /^\/_stand-in\/webhook-endpoint$/,
      (_, body) => {
        webhookUrl = typeof body.url === "string" ? body.url : undefined;
        return { status: 200, body: { url: webhookUrl ?? null } };
      },
    ],
    [
      "POST",
      /^\/_stand-in\/checkout\/sessions\/([^/]+)\/complete$/,
      (match, body) =>
        control(
          state.completeSession(match[1] ?? "", body.payment === "processing" ? "processing" : "paid", {
            ...(typeof body.email === "string" && { email: body.email }),
            ...(typeof body.name === "string" && { name: body.name }),
          }),
          body,
        ),
    ],
    [
      "POST",
      /^\/_stand-in\/checkout\/sessions\/([^/]+)\/settle$/,
      (match, body) =>
        control(state.settleAsync(match[1] ?? "", body.outcome === "failed" ? "failed" : "succeeded"), body),
    ],
    [
      "POST",
      /^\/_stand-in\/checkout\/sessions\/([^/]+)\/expire$/,
      (match, body) => control(state.expireSession(match[1] ?? "", null).events, body),
    ],
    ["POST", /^\/_stand-in\/charges\/([^/]+)\/dispute$/, (match, body) => control(state.dispute(match[1] ?? ""), body)],
    [
      "POST",
      /^\/_stand-in\/charges\/([^/]+)\/refund$/,
      (match, body) => {
        const form: FormObject = {
          charge: match[1] ?? "",
          ...(typeof body.amount === "number" && { amount: String(body.amount) }),
        };
        return control(state.createRefund(form, { requestId: ids.request(), idempotencyKey: null }).events, body);
      },
    ],
    [
      "POST",
      /^\/_stand-in\/subscriptions\/([^/]+)\/renew$/,
      (match, body) => control(state.renewSubscription(match[1] ?? "", body.paid !== false), body),
    ],
    [
      "POST",
      /^\/_stand-in\/subscriptions\/([^/]+)\/cancel-at-period-end$/,
      (match, body) =>
        control(state.updateSubscription(match[1] ?? "", { cancel_at_period_end: "true" }, null).events, body),
    ],
    [
      "POST",
      /^\/_stand-in\/subscriptions\/([^/]+)\/cancel$/,
      (match, body) => control(state.cancelSubscription(match[1] ?? "", null).events, body),
    ],
    [
      "POST",
      /^\/_stand-in\/events\/([^/]+)\/deliver$/,
      async (match, body) => {
        const event = state.events.find((candidate) => candidate.id === match[1]);
        if (!event) throw invalid(`No such event: '${match[1]}'`, "id", "resource_missing");
        if (!webhookUrl) throw invalid("No webhook endpoint is set.");
        const url = webhookUrl;
        const times = typeof body.times === "number" ? Math.max(1, Math.min(50, body.times)) : 1;
        const headers = (body.headers ?? {}) as Record<string, string>;
        const once = () =>
          deliver(url, options.webhookSecret, event, { headers: { ...options.deliveryHeaders?.(), ...headers } });
        const deliveries: DeliveryResult[] = [];
        if (body.concurrently === true) deliveries.push(...(await Promise.all(Array.from({ length: times }, once))));
        else for (let index = 0; index < times; index += 1) deliveries.push(await once());
        return { status: 200, body: { deliveries } };
      },
    ],
    [
      "GET",
      /^\/_stand-in\/events$/,
      (_, __, request) => {
        const object = request.query.get("object");
        const type = request.query.get("type");
        const events = state.events.filter(
          (event) =>
            (!object || (event.data.object as { id?: string }).id === object) && (!type || event.type === type),
        );
        return { status: 200, body: { events } };
      },
    ],
    ["GET", /^\/_stand-in\/objects\/([^/]+)$/, (match) => found(state.find(match[1] ?? ""), "object", match[1])],
    ["GET", /^\/_stand-in\/requests$/, () => ({ status: 200, body: { requests: requestLog } })],
    [
      "POST",
      /^\/_stand-in\/flush$/,
      async () => {
        while (inFlight.size > 0) await Promise.all([...inFlight]);
        return { status: 200, body: { flushed: true } };
      },
    ],
  ];

  async function route(request: ParsedRequest, authorization: string | undefined): Promise<Answer> {
    if (request.path.startsWith("/_stand-in/")) {
      for (const [method, pattern, handler] of controls) {
        const match = pattern.exec(request.path);
        if (match && method === request.method) return handler(match, jsonBody(request.raw), request);
      }
      return {
        status: 404,
        body: {
          error: {
            type: "invalid_request_error",
            message: `Unrecognized request URL (${request.method}: ${request.path}).`,
          },
        },
      };
    }
    if (request.method === "GET" && request.path.startsWith("/c/pay/")) {
      return {
        status: 200,
        body: "This is the Stripe stand-in's checkout. Tests pay through POST /_stand-in/checkout/sessions/{id}/complete.",
      };
    }
    const key = /^Bearer (.+)$/.exec(authorization ?? "")?.[1];
    if (!key || !sameSecret(key, options.secretKey)) {
      const shown = key ? `${key.slice(0, 8)}${"*".repeat(Math.max(0, key.length - 12))}${key.slice(-4)}` : "";
      return {
        status: 401,
        body: {
          error: {
            type: "invalid_request_error",
            message: key ? `Invalid API Key provided: ${shown}` : "You did not provide an API key.",
          },
        },
      };
    }
    for (const [method, pattern, handler] of api) {
      const match = pattern.exec(request.path);
      if (match && method === request.method) return handler(match, request);
    }
    return {
      status: 404,
      body: {
        error: {
          type: "invalid_request_error",
          message: `Unrecognized request URL (${request.method}: ${request.path}).`,
        },
      },
    };
  }

  /** Stripe's idempotency: the same key with the same request answers what the first answered. */
  async function answerOnce(request: ParsedRequest, authorization: string | undefined): Promise<Answer> {
    const key = request.context.idempotencyKey;
    const mutating = request.method === "POST" || request.method === "DELETE";
    if (!key || !mutating || request.path.startsWith("/_stand-in/")) return route(request, authorization);
    const fingerprint = createHash("sha256").update(`${request.method} ${request.path}\n${request.raw}`).digest("hex");
    const earlier = idempotent.get(key);
    if (earlier) {
      if (earlier.fingerprint !== fingerprint) {
        throw new StripeApiError(
          400,
          "idempotency_error",
          `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
        );
      }
      return { ...earlier.answer, headers: { ...earlier.answer.headers, "idempotent-replayed": "true" } };
    }
    const answer = await route(request, authorization);
    // Stripe saves a result once the endpoint started executing; refused authentication is not saved.
    if (answer.status < 500 && answer.status !== 401) idempotent.set(key, { fingerprint, answer });
    return answer;
  }

  const server = createServer((incoming: IncomingMessage, outgoing: ServerResponse) => {
    void (async () => {
      const requestId = ids.request();
      const url = new URL(incoming.url ?? "/", "http://stand-in");
      const idempotencyKey =
        typeof incoming.headers["idempotency-key"] === "string" ? incoming.headers["idempotency-key"] : null;
      let answer: Answer;
      let raw = "";
      try {
        raw = await readBody(incoming);
        const parsed: ParsedRequest = {
          method: incoming.method ?? "GET",
          path: url.pathname,
          query: url.searchParams,
          raw,
          context: { requestId, idempotencyKey },
        };
        answer = await answerOnce(parsed, incoming.headers.authorization);
      } catch (error) {
        answer =
          error instanceof StripeApiError
            ? { status: error.status, body: error.toJSON() }
            : error instanceof SyntaxError
              ? { status: 400, body: { error: { type: "invalid_request_error", message: "Invalid JSON." } } }
              : {
                  status: 500,
                  body: {
                    error: { type: "api_error", message: error instanceof Error ? error.message : String(error) },
                  },
                };
      }
      if (url.pathname.startsWith("/v1/")) {
        requestLog.push({
          method: incoming.method ?? "GET",
          path: url.pathname,
          idempotencyKey,
          status: answer.status,
          params: incoming.method === "GET" ? {} : safeForm(raw),
        });
      }
      const text = typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body);
      outgoing.writeHead(answer.status, {
        "content-type": typeof answer.body === "string" ? "text/plain; charset=utf-8" : "application/json",
        "request-id": requestId,
        "stripe-version": API_VERSION,
        ...(idempotencyKey && { "idempotency-key": idempotencyKey }),
        ...answer.headers,
      });
      outgoing.end(text);
    })();
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: baseUrl,
    state,
    setWebhookUrl: (url) => {
      webhookUrl = url;
    },
    deliver: (events, deliverOptions) => deliverAll(events, deliverOptions?.headers),
    flush: async () => {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function found(object: unknown, kind: string, id: string | undefined): Answer {
  if (!object)
    throw new StripeApiError(404, "invalid_request_error", `No such ${kind}: '${id ?? ""}'`, {
      param: "id",
      code: "resource_missing",
    });
  return { status: 200, body: object };
}

function safeForm(raw: string): FormObject {
  try {
    return parseStripeForm(raw);
  } catch {
    return {};
  }
}
