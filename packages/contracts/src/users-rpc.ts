import type { RpcResult } from "./auth-rpc.ts";

/** What the users worker offers other workers over RPC (through a service binding). */
export interface UsersRpc {
  /**
   * The name a person goes by, from their profile (a certificate prints it). `not_found`: no
   * profile, because it was never made or the account was erased.
   */
  learnerName(userId: string): Promise<RpcResult<string, "not_found" | "unavailable">>;
}
