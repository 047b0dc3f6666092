import {
  INBOUND_SIGNATURE_HEADER,
  INTEGRATOR_SIGNATURE_HEADER,
  TRACEPARENT_HEADER,
  signInboundBody,
} from "@platform/events";
import { errorText } from "./log.ts";

export type Delivery =
  | { readonly kind: "accepted"; readonly status: number }
  /** The platform refused the event for good (a 4xx other than 408 and 429): dead-letter it. */
  | { readonly kind: "refused"; readonly status: number; readonly reason: string }
  /** Worth another try later (5xx, 408, 429, a network failure or time-out). */
  | { readonly kind: "retry"; readonly reason: string; readonly retryAfterMs?: number };

interface Problem {
  title?: unknown;
  detail?: unknown;
  errors?: unknown;
}

/** The refusal in words, from the platform's problem+json answer (RFC 9457) when it sent one. */
async function refusalReason(response: Response): Promise<string> {
  const text = await response.text().catch(() => "");
  let problem: Problem | undefined;
  try {
    problem = JSON.parse(text) as Problem;
  } catch {
    problem = undefined;
  }
  const parts = [`HTTP ${response.status}`];
  if (problem && typeof problem === "object") {
    if (typeof problem.title === "string") parts.push(problem.title);
    if (typeof problem.detail === "string") parts.push(problem.detail);
    if (Array.isArray(problem.errors)) {
      const fields = problem.errors
        .map(
          (error: { path?: unknown; message?: unknown }) =>
            `${String(error.path ?? "")}: ${String(error.message ?? "")}`,
        )
        .join("; ");
      if (fields) parts.push(fields);
    }
  } else if (text) {
    parts.push(text.slice(0, 500));
  }
  return parts.join(" — ");
}

function retryAfterMs(response: Response): number | undefined {
  const header = response.headers.get("retry-after");
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/**
 * Hands one raw event body to the platform: POST with the body exactly as it came from Kafka,
 * signed with the shared secret so the platform knows it passed through the bridge, and with the
 * integrator's own signature from the Kafka header, unchanged: the platform, not the bridge,
 * decides whether that integrator may send it.
 */
export async function deliverInbound(options: {
  readonly url: string;
  readonly secret: string;
  readonly body: string;
  readonly timeoutMs: number;
  readonly correlationId?: string;
  readonly integratorSignature?: string;
  /** The message's trace (checked by `checkInboundMessage`); the gateway links it to the trace it starts. */
  readonly traceparent?: string | undefined;
  readonly fetch?: typeof fetch;
}): Promise<Delivery> {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    [INBOUND_SIGNATURE_HEADER]: await signInboundBody(options.secret, options.body),
  };
  if (options.correlationId) headers["x-correlation-id"] = options.correlationId;
  if (options.integratorSignature) headers[INTEGRATOR_SIGNATURE_HEADER] = options.integratorSignature;
  if (options.traceparent) headers[TRACEPARENT_HEADER] = options.traceparent;
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(options.url, {
      method: "POST",
      headers,
      body: options.body,
      redirect: "manual",
      signal: AbortSignal.timeout(options.timeoutMs),
    });
  } catch (error) {
    return { kind: "retry", reason: `the platform could not be reached: ${errorText(error)}` };
  }
  if (response.status >= 200 && response.status < 300) {
    await response.body?.cancel().catch(() => {});
    return { kind: "accepted", status: response.status };
  }
  const reason = await refusalReason(response);
  if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429) {
    return { kind: "refused", status: response.status, reason };
  }
  const wait = retryAfterMs(response);
  return wait === undefined ? { kind: "retry", reason } : { kind: "retry", reason, retryAfterMs: wait };
}
