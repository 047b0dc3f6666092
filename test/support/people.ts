import type { PlatformRole } from "@platform/contracts";
import { GOOD_PASSWORD, api, registerAndLogin, type TokenPair } from "./api.ts";
import { db } from "./database.ts";

/** Someone signed in on the started stack: their account id and an access token carrying their roles. */
export interface Person {
  readonly userId: string;
  readonly token: string;
}

/** A new account with the given roles (set in the auth schema, then signed in again for a token carrying them). */
export async function personWith(roles: readonly PlatformRole[], tag: string): Promise<Person> {
  const session = await registerAndLogin(tag);
  if (roles.join() === "learner") return { userId: session.userId, token: session.tokens.accessToken };
  await db.query("update auth.accounts set roles = $2::auth.role[] where id = $1", [session.userId, roles]);
  const login = await api<TokenPair>("POST", "/api/auth/login", {
    body: { email: session.email, password: GOOD_PASSWORD },
  });
  if (login.status !== 200) throw new Error(`login answered ${login.status}`);
  return { userId: session.userId, token: login.body.accessToken };
}

export const instructor = (tag: string) => personWith(["instructor"], tag);
export const admin = (tag: string) => personWith(["admin"], tag);
export const learner = (tag: string) => personWith(["learner"], tag);
