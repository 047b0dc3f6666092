import type { RpcResult } from "./auth-rpc.ts";
import type { LiveMessage, LivePublishResult } from "./live.ts";
import type { ProgressRecords } from "./personal-data.ts";

/** What the progress worker offers other workers over RPC: it owns the learners' LiveHubs (docs/live.md). */
export interface ProgressRpc {
  /**
   * Publishes a message to one person's LiveHub: every open device gets it, and devices that reconnect
   * catch up on it. Call it after the change it describes has committed. `invalid_message`: no `type`,
   * or larger than `LIVE_LIMITS.messageBytes`; `unavailable`: the hub could not be reached.
   */
  publishLive(
    userId: string,
    message: LiveMessage,
  ): Promise<RpcResult<LivePublishResult, "invalid_message" | "unavailable">>;
  /** A person's course and lesson progress and certificates, for their data export (the users worker asks). */
  progressRecords(userId: string): Promise<RpcResult<ProgressRecords, "unavailable">>;
}
