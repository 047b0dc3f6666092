import type { InProcessClient } from "../../../../test/support/in-process.ts";
import { GOOD_PASSWORD, uniqueEmail } from "./auth-app.ts";
import { tokenOf, type RecordingNotifications } from "./notifications-stand-in.ts";

export interface TestAccount {
  readonly email: string;
  readonly userId: string;
  /** The principal the in-process client acts as (what the gateway would pass on). */
  readonly as: { userId: string; roles: ["learner"] };
  /** The token of the verification link mailed at registration. */
  readonly verifyToken: string;
}

/** Registers a fresh account through the route and picks its verification token out of the mail. */
export async function registered(
  client: InProcessClient,
  notifications: RecordingNotifications,
  tag: string,
): Promise<TestAccount> {
  const email = uniqueEmail(tag);
  const response = await client.request<{ id: string }>("POST", "/api/auth/register", {
    body: { email, password: GOOD_PASSWORD, name: tag },
  });
  if (response.status !== 201) throw new Error(`register answered ${response.status}`);
  const verifyToken = tokenOf(notifications.only(email, "verify-email").verifyUrl);
  return { email, userId: response.body.id, as: { userId: response.body.id, roles: ["learner"] }, verifyToken };
}

/** Signs in through the route; the refresh token is the session's. */
export async function signIn(client: InProcessClient, email: string, password = GOOD_PASSWORD) {
  return client.request<{ accessToken: string; refreshToken: string }>("POST", "/api/auth/login", {
    body: { email, password },
  });
}
