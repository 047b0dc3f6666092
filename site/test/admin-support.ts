import type { Locator, Page } from "playwright-core";
import { expect } from "vitest";
import type { PlatformRole } from "@platform/contracts";
import {
  GOOD_PASSWORD,
  api,
  gatewayUrl,
  uniqueEmail,
  type RegisteredUser,
  type TokenPair,
} from "../../test/support/api.ts";
import { db } from "../../test/support/database.ts";
import { ASYNC_EFFECTS } from "../../test/support/polling.ts";

/**
 * What the admin console's browser tests share: people with the roles a test needs (and their
 * profiles, which the users service makes from USER_CREATED a moment after registering), what
 * the API says about them, and a form posted from a page as a browser would post it.
 */

export interface Someone {
  readonly email: string;
  readonly name: string;
  readonly userId: string;
  /** An access token carrying the roles given. */
  readonly token: string;
}

/** Registers someone named `name`, gives them `roles` (in the auth schema) and waits for their profile. */
export async function someone(
  tag: string,
  roles: readonly PlatformRole[] = ["learner"],
  name?: string,
): Promise<Someone> {
  const email = uniqueEmail(tag);
  const fullName = name ?? `Person ${tag}`;
  const registered = await api<RegisteredUser>("POST", "/api/auth/register", {
    body: { email, password: GOOD_PASSWORD, name: fullName },
  });
  if (registered.status !== 201) throw new Error(`register answered ${registered.status}`);
  const userId = registered.body.id;
  if (roles.join() !== "learner") {
    await db.query("update auth.accounts set roles = $2::auth.role[] where id = $1", [userId, roles]);
  }
  const login = await api<TokenPair>("POST", "/api/auth/login", { body: { email, password: GOOD_PASSWORD } });
  if (login.status !== 200) throw new Error(`login answered ${login.status}`);
  const token = login.body.accessToken;
  await expect
    .poll(async () => (await api("GET", "/api/users/me", { token })).status, {
      ...ASYNC_EFFECTS,
      message: "the profile made from USER_CREATED",
    })
    .toBe(200);
  return { email, name: fullName, userId, token };
}

export interface AccountView {
  readonly roles: readonly string[];
  readonly status: "active" | "disabled";
  readonly liveSessions: number;
}

/** Someone's account as an admin reads it through the API (404: erased). */
export async function accountOf(admin: Someone, userId: string): Promise<{ status: number; account?: AccountView }> {
  const read = await api<{ account: AccountView }>("GET", `/api/users/${userId}`, { token: admin.token });
  return read.status === 200 ? { status: 200, account: read.body.account } : { status: read.status };
}

/** Whether the password still signs this person in (the API's answer status). */
export async function signInStatus(person: Someone): Promise<number> {
  return (await api("POST", "/api/auth/login", { body: { email: person.email, password: GOOD_PASSWORD } })).status;
}

/**
 * Posts a form to `path` from the page the browser is on, as a form on that page would (the
 * browser's own POST, with its Origin and cookies), and answers the status of the page it got.
 * The form is built through the DevTools protocol, which the page's CSP does not govern.
 */
export async function postFromPage(page: Page, path: string, fields: Record<string, string>): Promise<number> {
  const answered = page.waitForResponse(
    (response) => response.request().method() === "POST" && response.request().resourceType() === "document",
  );
  // The answer arrives before its page replaces this one: wait for that too, or the next step runs on the old page.
  const replaced = page.waitForEvent("framenavigated", (frame) => frame === page.mainFrame());
  await page.evaluate(
    ({ action, values }) => {
      const form = document.createElement("form");
      form.method = "post";
      form.action = action;
      for (const [name, value] of Object.entries(values)) {
        const input = document.createElement("input");
        input.type = "hidden";
        input.name = name;
        input.value = value;
        form.append(input);
      }
      document.body.append(form);
      // After this evaluation has answered: a navigation started inside it would destroy its context first.
      setTimeout(() => form.submit(), 0);
    },
    { action: `${gatewayUrl}${path}`, values: fields },
  );
  const status = (await answered).status();
  await replaced;
  await page.waitForLoadState("load");
  return status;
}

/**
 * Clicks a button inside one part of the page (a list item: other items have a button of the same
 * name) and answers the status of the page's own POST, as site-forms.ts's `submitForm` does.
 */
export async function submitIn(page: Page, scope: Locator, button: string): Promise<number> {
  const answered = page.waitForResponse(
    (response) => response.request().method() === "POST" && response.request().resourceType() === "document",
  );
  await scope.getByRole("button", { name: button, exact: true }).click();
  const status = (await answered).status();
  await page.waitForLoadState("load");
  return status;
}

/** Every page of the console, for the access tests. */
export const ADMIN_PAGES = [
  "/admin",
  "/admin/users",
  "/admin/providers",
  "/admin/plans",
  "/admin/payments",
  "/admin/mismatches",
  "/admin/dead-letters",
  "/admin/api-keys",
] as const;
