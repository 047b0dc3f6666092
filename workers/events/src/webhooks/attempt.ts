import { errorText } from "@platform/http-kit";
import type { WebhookSettings } from "./settings.ts";
import { signatureHeader } from "./signature.ts";
import { targetProblem } from "./target-policy.ts";

/** What one attempt came to: the receiver's status (null when it never answered), and what it said or why not. */
export interface AttemptResult {
  readonly ok: boolean;
  readonly status: number | null;
  readonly error: string | null;
  readonly responseExcerpt: string | null;
  readonly durationMs: number;
}

const EXCERPT_CHARS = 1_000;

export interface WebhookMessage {
  readonly id: string;
  readonly url: string;
  readonly payload: string;
  /** The current secret, and the previous one while its rotation grace lasts. */
  readonly secrets: readonly string[];
}

/**
 * One signed POST of a delivery (Standard Webhooks headers), bounded by the timeout; a 2xx is
 * success and anything else (a redirect too: they are not followed) a failure. The target is
 * checked again first (target-policy.ts), so a URL that is no longer allowed is never reached.
 */
export async function attemptDelivery(
  message: WebhookMessage,
  settings: WebhookSettings,
  now: Date = new Date(),
): Promise<AttemptResult> {
  const started = Date.now();
  const refused = targetProblem(message.url, settings.insecureHosts);
  if (refused)
    return { ok: false, status: null, error: `target refused: it ${refused}`, responseExcerpt: null, durationMs: 0 };
  const timestamp = Math.floor(now.getTime() / 1000);
  try {
    const response = await fetch(message.url, {
      method: "POST",
      body: message.payload,
      redirect: "manual",
      signal: AbortSignal.timeout(settings.timeoutMs),
      headers: {
        "content-type": "application/json",
        "user-agent": "platform-webhooks/1",
        "webhook-id": message.id,
        "webhook-timestamp": String(timestamp),
        "webhook-signature": await signatureHeader(message.secrets, message.id, timestamp, message.payload),
      },
    });
    const excerpt = await readExcerpt(response);
    const ok = response.status >= 200 && response.status < 300;
    return {
      ok,
      status: response.status,
      error: ok ? null : `the receiver answered ${response.status}`,
      responseExcerpt: excerpt,
      durationMs: Date.now() - started,
    };
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
    return {
      ok: false,
      status: null,
      error: timedOut
        ? `no answer within ${settings.timeoutMs} ms`
        : `could not reach the receiver: ${errorText(error)}`,
      responseExcerpt: null,
      durationMs: Date.now() - started,
    };
  }
}

/** The start of the answer, for the delivery log; the rest is not read (a receiver may answer at length). */
async function readExcerpt(response: Response): Promise<string | null> {
  if (!response.body) return null;
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  try {
    while (text.length < EXCERPT_CHARS) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } catch {
    // What was read so far is enough for the log.
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return text.length > 0 ? text.slice(0, EXCERPT_CHARS) : null;
}
