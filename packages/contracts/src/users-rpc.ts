import type { RpcResult } from "./auth-rpc.ts";

/** What the users worker offers other workers over RPC (through a service binding). */
export interface UsersRpc {
  /**
   * The name a person goes by, from their profile (a certificate prints it). `not_found`: no profile
   * for good (the account was erased). `pending`: no profile yet: its USER_CREATED has not been applied
   * (events arrive concurrently); ask again later.
   */
  learnerName(userId: string): Promise<RpcResult<string, "not_found" | "pending" | "unavailable">>;
  /**
   * How to address a person in what the platform sends them: their name, and the locale and time zone
   * of their profile (a mail is written in that language, its dates in that zone). `not_found`: no profile.
   */
  contactProfile(userId: string): Promise<RpcResult<ContactProfile, "not_found" | "unavailable">>;
}

export interface ContactProfile {
  readonly name: string;
  /** BCP 47, e.g. `en`, `de-CH`. */
  readonly locale: string;
  /** IANA, e.g. `Europe/Berlin`. */
  readonly timeZone: string;
}
