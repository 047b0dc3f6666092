import type { LiveMessage, LivePublishResult, RpcResult } from "@platform/contracts";
import { errorText, logLine } from "@platform/http-kit";
import { deliveryFrame } from "./delivery-frame.ts";
import { hubOf, type LiveHubBindings } from "./push.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `ProgressRpc.publishLive`: another worker's message (the notifications worker's new notices) to one person's
 * LiveHub. The message is checked here as the hub would (an object with a `type`, within the size limit), so a
 * bad one answers `invalid_message` instead of looking like an outage; a hub that cannot be reached answers
 * `unavailable`, and the caller decides whether to try again.
 */
export async function publishLive(
  env: LiveHubBindings,
  userId: string,
  message: LiveMessage,
): Promise<RpcResult<LivePublishResult, "invalid_message" | "unavailable">> {
  if (typeof userId !== "string" || !UUID.test(userId)) return { ok: false, code: "invalid_message" };
  try {
    deliveryFrame(0, new Date(), message);
  } catch {
    return { ok: false, code: "invalid_message" };
  }
  try {
    return { ok: true, value: await hubOf(env, userId).publish(message) };
  } catch (error) {
    logLine("warn", "progress", "publishLive: the hub could not be reached", { userId, error: errorText(error) });
    return { ok: false, code: "unavailable" };
  }
}
