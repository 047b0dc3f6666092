import { MAX_PLAINTEXT_BYTES, PushEncryptionError, encryptPushMessage } from "./encrypt.ts";
import type { PushPayload, PushResult, PushTarget } from "./types.ts";
import { vapidAuthorization, type VapidKeys } from "./vapid.ts";

export interface SendWebPushOptions {
  /** How long the push service keeps the message for an offline device (RFC 8030 §5.2). */
  readonly ttlSeconds?: number;
  readonly urgency?: "very-low" | "low" | "normal" | "high";
  /** Tests: a fetch of their own. */
  readonly fetch?: typeof fetch;
}

/** A day: a notice older than that is news the inbox shows better than a late popup. */
const DEFAULT_TTL_SECONDS = 24 * 60 * 60;
/** A push service that has not answered by then is treated as down: the attempt is retried later. */
const REQUEST_TIMEOUT_MS = 10_000;
/** How much of a refusal's body goes into the delivery log. */
const ERROR_BODY_CHARS = 200;

/**
 * One push message to one subscription (RFC 8030 §5), encrypted (RFC 8291) and signed (RFC 8292). Never throws:
 * what came of it is the result, which the delivery pipeline records (and on `gone` removes the subscription).
 */
export async function sendWebPush(
  target: PushTarget,
  payload: PushPayload,
  vapid: VapidKeys,
  options: SendWebPushOptions = {},
): Promise<PushResult> {
  const plaintext = new TextEncoder().encode(JSON.stringify(payload));
  if (plaintext.length > MAX_PLAINTEXT_BYTES) {
    return {
      outcome: "permanent",
      error: `payload is ${plaintext.length} bytes, over the ${MAX_PLAINTEXT_BYTES}-byte limit`,
    };
  }
  let endpoint: URL;
  try {
    endpoint = new URL(target.endpoint);
  } catch {
    return { outcome: "permanent", error: "the subscription's endpoint is not a URL" };
  }
  if (endpoint.protocol !== "https:" && endpoint.protocol !== "http:") {
    return { outcome: "permanent", error: `the subscription's endpoint is not http(s): ${endpoint.protocol}` };
  }

  let body: Uint8Array<ArrayBuffer>;
  try {
    body = await encryptPushMessage(target, plaintext);
  } catch (error) {
    if (error instanceof PushEncryptionError) return { outcome: "permanent", error: error.message };
    throw error;
  }

  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(endpoint, {
      method: "POST",
      headers: {
        authorization: await vapidAuthorization(vapid, endpoint.href),
        ttl: String(Math.max(0, Math.floor(options.ttlSeconds ?? DEFAULT_TTL_SECONDS))),
        urgency: options.urgency ?? "normal",
        "content-encoding": "aes128gcm",
        "content-type": "application/octet-stream",
      },
      body,
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    return {
      outcome: "temporary",
      error: `push service unreachable: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  return resultOf(response);
}

async function resultOf(response: Response): Promise<PushResult> {
  const { status } = response;
  // Read the body in every case: an unread body holds the connection.
  const detail = (await response.text().catch(() => "")).slice(0, ERROR_BODY_CHARS).trim();
  const error = `push service answered ${status}${detail ? `: ${detail}` : ""}`;
  if (status >= 200 && status < 300) {
    return { outcome: "accepted", providerId: response.headers.get("location") ?? String(status) };
  }
  // RFC 8030 §7.3: the subscription has expired or was never valid; it will not come back.
  if (status === 404 || status === 410) return { outcome: "gone", error };
  if (status === 429 || status >= 500) {
    const retryAfter = response.headers.get("retry-after");
    return { outcome: "temporary", error: retryAfter ? `${error} (retry after ${retryAfter})` : error };
  }
  // 400 (malformed), 403 (VAPID refused), 413 (too large) and the rest: sending it again changes nothing.
  return { outcome: "permanent", error };
}
