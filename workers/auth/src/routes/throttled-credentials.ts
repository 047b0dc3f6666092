import type { Context } from "hono";
import { CLIENT_IP_HEADER, ProblemError } from "@platform/http-kit";
import { authMetrics } from "../metrics.ts";
import { checkCredentials, type Account } from "../accounts.ts";
import type { AuthEnv } from "../env.ts";
import { loginClientKey } from "../login-client.ts";
import type { ThrottleVerdict } from "../object-apis.ts";

function throttled(verdict: ThrottleVerdict): never {
  const retryAfter = verdict.allowed ? 1 : verdict.retryAfterSeconds;
  throw new ProblemError("too-many-requests", {
    detail: `Too many failed sign-in attempts. Try again in ${retryAfter} s.`,
    headers: { "retry-after": String(retryAfter) },
  });
}

/**
 * Checks an email and password under the login throttle (login-throttle.ts): sign-in, and every
 * route that asks a signed-in person for their current password again (changing it or the
 * address), so that a stolen access token cannot be used to guess the password at full speed.
 * All of them count against the same (account, client) pair and client. Throws 429 when
 * throttled; `undefined` for a wrong password, an unknown email or a disabled account alike.
 */
export async function throttledCredentialCheck(
  c: Context<AuthEnv>,
  email: string,
  password: string,
): Promise<Account | undefined> {
  const client = loginClientKey(c.req.header(CLIENT_IP_HEADER));
  const pairThrottle = c.env.LOGIN_THROTTLE.get(c.env.LOGIN_THROTTLE.idFromName(`pair:${email}|${client}`));
  const clientThrottle = c.env.LOGIN_THROTTLE.get(c.env.LOGIN_THROTTLE.idFromName(`client:${client}`));

  const [pairVerdict, clientVerdict] = await Promise.all([pairThrottle.checkPair(), clientThrottle.checkClient()]);
  if (!pairVerdict.allowed) throttled(pairVerdict);
  if (!clientVerdict.allowed) throttled(clientVerdict);

  const account = await checkCredentials(c.var.database().db, email, password);
  if (!account) {
    const [pairVerdict] = await Promise.all([pairThrottle.failPair(), clientThrottle.failClient()]);
    if (!pairVerdict.allowed && pairVerdict.lockedOut) authMetrics.count(c.env, "auth_lockouts_total", {});
    return undefined;
  }
  await pairThrottle.resetPair();
  return account;
}
