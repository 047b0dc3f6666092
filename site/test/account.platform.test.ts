import { readFileSync } from "node:fs";
import type { BrowserContext } from "playwright-core";
import { describe, expect, it } from "vitest";
import { GOOD_PASSWORD, api, gatewayUrl, registerAndLogin, type TokenPair } from "../../test/support/api.ts";
import { checkAccessibility, screenshot, useBrowser } from "../../test/support/browser.ts";
import { ASYNC_EFFECTS } from "../../test/support/polling.ts";
import { signInThroughSite, submitForm } from "./site-forms.ts";

/**
 * The account pages in Chromium on the running stack: the profile and its language, the password,
 * signing out (everywhere, and from the header), the data export and account deletion. Each test
 * signs a new learner in through the site's own form; what the pages did is checked at the API.
 */
const browser = useBrowser();
const origin = new URL(gatewayUrl).origin;
const NEW_PASSWORD = "another perfectly fine passphrase";

interface Learner {
  readonly email: string;
  readonly userId: string;
  readonly tokens: TokenPair;
}

/** A new learner whose profile exists (it is made from USER_CREATED, a moment after registering). */
async function newLearner(tag: string): Promise<Learner> {
  const learner = await registerAndLogin(tag);
  await expect
    .poll(async () => (await api("GET", "/api/users/me", { token: learner.tokens.accessToken })).status, {
      ...ASYNC_EFFECTS,
      message: "the profile made from USER_CREATED",
    })
    .toBe(200);
  return learner;
}

/** Signs in with the site's form and lands on `path`. */
async function signedInAt(learner: Learner, path: string, options: { locale?: string } = {}) {
  const watched = await browser.newPage(options);
  await signInThroughSite(watched.page, learner.email, path);
  return watched;
}

const submit = submitForm;

const cookieValue = async (context: BrowserContext, name: string) =>
  (await context.cookies()).find((cookie) => cookie.name === name)?.value;

/** A fresh browser with someone's old cookies: does the site still let it in? */
async function replayedCookiesOpenAccount(cookies: Awaited<ReturnType<BrowserContext["cookies"]>>): Promise<string> {
  const stranger = await browser.newPage();
  await stranger.context.addCookies(cookies);
  await stranger.page.goto(`${gatewayUrl}/account`);
  const landed = new URL(stranger.page.url());
  await stranger.context.close();
  return landed.pathname;
}

describe("account pages need a session", () => {
  it("send a signed-out visitor to sign in, and back to the page asked for", async () => {
    for (const path of [
      "/account",
      "/account/security",
      "/account/purchases",
      "/account/data",
      "/account/delete",
      "/account/export",
    ]) {
      const response = await fetch(`${gatewayUrl}${path}`, { redirect: "manual" });
      expect(response.status, path).toBe(303);
      const to = new URL(response.headers.get("location") ?? "", gatewayUrl);
      expect(to.pathname, path).toBe("/signin");
      expect(to.searchParams.get("returnTo"), path).toBe(path === "/account/export" ? "/account/data" : path);
    }
  });
});

describe("profile", () => {
  it("saves name, language and time zone; the page then speaks German and the header shows the new name", async () => {
    const learner = await newLearner("account-profile");
    const { page } = await signedInAt(learner, "/account");
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Your account");
    expect(await page.getByLabel("Name", { exact: true }).inputValue()).toBe("User account-profile");
    await checkAccessibility(page);
    await screenshot(page, "account-profile");

    // A language tag the API does not accept: its message beside the field, nothing saved.
    await page.getByLabel("Another language (optional)").fill("not a tag!!");
    expect(await submit(page, "Save profile")).toBe(400);
    const otherLanguage = page.getByLabel("Another language (optional)");
    expect(await otherLanguage.getAttribute("aria-invalid")).toBe("true");
    expect(await page.locator("#field-otherLocale-error").textContent()).toContain("BCP 47");
    expect(
      (await api<{ locale: string }>("GET", "/api/users/me", { token: learner.tokens.accessToken })).body.locale,
    ).toBe("en");

    await page.getByLabel("Name", { exact: true }).fill("Ada Lovelace");
    await otherLanguage.fill("");
    await page.locator("#field-locale").selectOption("de");
    await page.getByLabel("Time zone").selectOption("Europe/Berlin");
    expect(await submit(page, "Save profile")).toBe(303);
    await page.waitForURL(`${gatewayUrl}/account?done=profile`);

    expect(await page.locator("html").getAttribute("lang")).toBe("de");
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Ihr Konto");
    expect(await page.getByRole("status").filter({ hasText: "Ihr Profil ist gespeichert." }).count()).toBe(1);
    expect(await page.locator("[data-signed-in-as]").textContent()).toBe("Ada Lovelace");
    expect(await page.getByLabel("Zeitzone").inputValue()).toBe("Europe/Berlin");
    const saved = await api("GET", "/api/users/me", { token: learner.tokens.accessToken });
    expect(saved.body).toMatchObject({ name: "Ada Lovelace", locale: "de", timeZone: "Europe/Berlin" });
    await checkAccessibility(page);
    await screenshot(page, "account-profile-german");

    // Another BCP 47 tag is kept as typed; the interface falls back to English for it.
    await page.getByLabel("Eine andere Sprache (optional)").fill("pt-BR");
    expect(await submit(page, "Profil speichern")).toBe(303);
    expect((await api("GET", "/api/users/me", { token: learner.tokens.accessToken })).body).toMatchObject({
      locale: "pt-BR",
    });
    expect(await page.locator("html").getAttribute("lang")).toBe("en");
    expect(await page.getByLabel("Another language (optional)").inputValue()).toBe("pt-BR");
  });
});

describe("sign-in and security", () => {
  it("shows the address unconfirmed and sends a new link; a change of address asks for the password", async () => {
    const learner = await newLearner("account-email");
    const { page } = await signedInAt(learner, "/account/security");
    expect(await page.locator("[data-account-email]").textContent()).toBe(learner.email);
    expect(await page.locator("[data-email-verified]").getAttribute("data-email-verified")).toBe("false");
    await checkAccessibility(page);
    await screenshot(page, "account-security");

    expect(await submit(page, "Send a new confirmation link")).toBe(303);
    expect(await page.getByRole("status").filter({ hasText: "A new confirmation link is on its way" }).count()).toBe(1);

    await page.getByLabel("New email address").fill(`changed-${learner.email}`);
    await page.locator("#field-emailCurrentPassword").fill("not my password");
    expect(await submit(page, "Send the confirmation link")).toBe(403);
    expect(await page.locator("#field-emailCurrentPassword-error").textContent()).toBe(
      "The current password is not correct.",
    );
    await page.getByLabel("New email address").fill(learner.email);
    await page.locator("#field-emailCurrentPassword").fill(GOOD_PASSWORD);
    expect(await submit(page, "Send the confirmation link")).toBe(400);
    expect(await page.locator("#field-newEmail-error").textContent()).toContain("already the account's address");
  });

  it("changes the password and keeps this session; every other session and the old access token end", async () => {
    const learner = await newLearner("account-password");
    const elsewhere = await api<TokenPair>("POST", "/api/auth/login", {
      body: { email: learner.email, password: GOOD_PASSWORD },
    });
    const { page, context } = await signedInAt(learner, "/account/security");
    const oldAccess = await cookieValue(context, "__Host-el_access");
    const refresh = await cookieValue(context, "__Host-el_refresh");

    // Unhappy first: a wrong current password, then two new passwords that differ. Nothing changes.
    await page.locator("#field-currentPassword").fill("not my password");
    await page.getByLabel("New password", { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel("New password again").fill(NEW_PASSWORD);
    expect(await submit(page, "Change password")).toBe(403);
    expect(await page.locator("#field-currentPassword-error").textContent()).toBe(
      "The current password is not correct.",
    );
    await page.locator("#field-currentPassword").fill(GOOD_PASSWORD);
    await page.getByLabel("New password", { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel("New password again").fill(`${NEW_PASSWORD}!`);
    expect(await submit(page, "Change password")).toBe(400);
    expect(await page.locator("#field-confirmPassword-error").textContent()).toContain("differ");
    // A password the policy refuses: the API's reason, beside the field.
    await page.locator("#field-currentPassword").fill(GOOD_PASSWORD);
    await page.getByLabel("New password", { exact: true }).fill("password123");
    await page.getByLabel("New password again").fill("password123");
    expect(await submit(page, "Change password")).toBe(400);
    expect(await page.locator("#field-newPassword-error").textContent()).toContain("common");
    expect(
      (await api("POST", "/api/auth/login", { body: { email: learner.email, password: GOOD_PASSWORD } })).status,
    ).toBe(200);

    await page.locator("#field-currentPassword").fill(GOOD_PASSWORD);
    await page.getByLabel("New password", { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel("New password again").fill(NEW_PASSWORD);
    expect(await submit(page, "Change password")).toBe(303);
    await page.waitForURL(`${gatewayUrl}/account/security?done=password`);
    expect(await page.getByRole("status").filter({ hasText: "Your password is changed" }).count()).toBe(1);

    // This browser is still signed in, with a new access token and its session's refresh token.
    const newAccess = await cookieValue(context, "__Host-el_access");
    expect(newAccess).toBeTruthy();
    expect(newAccess).not.toBe(oldAccess);
    expect(await cookieValue(context, "__Host-el_refresh")).toBe(refresh);
    await page.goto(`${gatewayUrl}/account`);
    expect(new URL(page.url()).pathname).toBe("/account");
    expect((await api("GET", "/api/auth/me", { token: newAccess })).status).toBe(200);

    // The other session and the access tokens issued before are over; the new password works, the old does not.
    expect(
      (await api("POST", "/api/auth/refresh", { body: { refreshToken: elsewhere.body.refreshToken } })).status,
    ).toBe(401);
    await expect
      .poll(async () => (await api("GET", "/api/auth/me", { token: oldAccess })).status, ASYNC_EFFECTS)
      .toBe(401);
    expect(
      (await api("POST", "/api/auth/login", { body: { email: learner.email, password: NEW_PASSWORD } })).status,
    ).toBe(200);
    expect(
      (await api("POST", "/api/auth/login", { body: { email: learner.email, password: GOOD_PASSWORD } })).status,
    ).toBe(401);
  });

  it("signs out everywhere: this browser, the other sessions, and replayed cookies all end", async () => {
    const learner = await newLearner("account-everywhere");
    const { page, context } = await signedInAt(learner, "/account/security");
    const cookies = await context.cookies();

    expect(await submit(page, "Sign out everywhere")).toBe(303);
    await page.waitForURL(`${gatewayUrl}/account/signed-out`);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("You are signed out everywhere");
    expect(await page.locator("[data-signed-in-as]").count()).toBe(0);
    await checkAccessibility(page);

    expect(
      (await api("POST", "/api/auth/refresh", { body: { refreshToken: learner.tokens.refreshToken } })).status,
    ).toBe(401);
    await page.goto(`${gatewayUrl}/account`);
    expect(new URL(page.url()).pathname).toBe("/signin");
    // The cookies this browser held, replayed elsewhere, open nothing once the gateway has heard (≤ 5 s).
    await expect.poll(() => replayedCookiesOpenAccount(cookies), ASYNC_EFFECTS).toBe("/signin");
  });

  it("sign-out from the header ends the session: the old cookies, replayed in a fresh browser, open nothing", async () => {
    const learner = await newLearner("account-header-signout");
    const { page, context } = await signedInAt(learner, "/account");
    const cookies = await context.cookies();
    expect(await replayedCookiesOpenAccount(cookies)).toBe("/account");

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(`${gatewayUrl}/`);
    expect(await page.locator("[data-signed-in-as]").count()).toBe(0);
    await expect.poll(() => replayedCookiesOpenAccount(cookies), ASYNC_EFFECTS).toBe("/signin");
    expect(
      (await api("POST", "/api/auth/refresh", { body: { refreshToken: learner.tokens.refreshToken } })).status,
    ).toBe(200);
  });
});

describe("your data", () => {
  it("downloads the export as a JSON attachment with the learner's own data, never cached", async () => {
    const learner = await newLearner("account-export");
    const { page, context } = await signedInAt(learner, "/account/data");
    await checkAccessibility(page);
    await screenshot(page, "account-data");

    const downloading = page.waitForEvent("download");
    await page.getByRole("link", { name: "Download my data (JSON)" }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(/^edge-learning-data-\d{4}-\d{2}-\d{2}\.json$/);
    const data = JSON.parse(readFileSync(await download.path(), "utf8")) as {
      account: { id: string; email: string };
      profile: { name: string };
    };
    expect(data.account).toMatchObject({ id: learner.userId, email: learner.email });
    expect(data.profile.name).toBe("User account-export");

    const direct = await context.request.get(`${gatewayUrl}/account/export`, { maxRedirects: 0 });
    expect(direct.status()).toBe(200);
    expect(direct.headers()["content-disposition"]).toMatch(/^attachment; filename="edge-learning-data-/);
    expect(direct.headers()["cache-control"]).toBe("private, no-store");
    expect(direct.headers()["content-type"]).toContain("application/json");
  });

  it("deletes the account only after the address is typed, then signs out and says goodbye", async () => {
    const learner = await newLearner("account-delete");
    const { page, context } = await signedInAt(learner, "/account/data");
    await page.getByRole("link", { name: "Delete my account…" }).click();
    await page.waitForURL(`${gatewayUrl}/account/delete`);
    expect(await page.getByText("cannot be undone").count()).toBeGreaterThan(0);
    await checkAccessibility(page);
    await screenshot(page, "account-delete");

    // The wrong address (someone else's): refused beside the field, and the account is still there.
    await page.getByLabel("Type your email address to confirm").fill("someone-else@example.com");
    expect(await submit(page, "Delete my account for good")).toBe(400);
    expect(await page.locator("#field-confirmEmail-error").textContent()).toContain("Nothing was deleted");
    expect(
      (await api("POST", "/api/auth/login", { body: { email: learner.email, password: GOOD_PASSWORD } })).status,
    ).toBe(200);

    await page.getByLabel("Type your email address to confirm").fill(learner.email.toUpperCase());
    expect(await submit(page, "Delete my account for good")).toBe(303);
    await page.waitForURL(`${gatewayUrl}/account/goodbye`);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Your account is deleted");
    expect(await page.locator("[data-signed-in-as]").count()).toBe(0);
    expect((await context.cookies()).filter((cookie) => cookie.name.startsWith("__Host-el_"))).toEqual([]);
    expect(
      (await api("POST", "/api/auth/login", { body: { email: learner.email, password: GOOD_PASSWORD } })).status,
    ).toBe(401);
    expect((await api("GET", "/api/users/me", { token: learner.tokens.accessToken })).status).not.toBe(200);
  });

  it("refuses a deletion form posted from another site, and deletes nothing", async () => {
    const learner = await newLearner("account-delete-csrf");
    const { context } = await signedInAt(learner, "/account/delete");
    const forged = await context.request.post(`${gatewayUrl}/account/delete`, {
      form: { confirmEmail: learner.email },
      headers: { origin: "https://evil.example" },
      maxRedirects: 0,
    });
    expect(forged.status()).toBe(403);
    expect(
      (await api("POST", "/api/auth/login", { body: { email: learner.email, password: GOOD_PASSWORD } })).status,
    ).toBe(200);
    const sameSite = await context.request.post(`${gatewayUrl}/account/delete`, {
      form: { confirmEmail: "not-the-address@example.com" },
      headers: { origin },
      maxRedirects: 0,
    });
    expect(sameSite.status()).toBe(400);
    expect(await sameSite.text()).toContain("Nothing was deleted");
  });
});
