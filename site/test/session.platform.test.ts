import { describe, expect, it } from "vitest";
import { GOOD_PASSWORD, api, gatewayUrl, registerAndLogin, uniqueEmail } from "../../test/support/api.ts";
import { checkAccessibility, screenshot, useBrowser } from "../../test/support/browser.ts";

/**
 * The session in the browser: the site signs people up, in and out with its own forms, keeps the
 * tokens in HttpOnly cookies the page cannot read, refreshes them by itself, refuses forms posted
 * from another site, and answers every page with the security headers.
 */
const browser = useBrowser();

const SESSION_COOKIES = ["__Host-el_access", "__Host-el_refresh", "__Host-el_profile"];

async function signUpInBrowser(name: string) {
  const watched = await browser.newPage();
  const email = uniqueEmail("site-session");
  await watched.page.goto(`${gatewayUrl}/signup`);
  await watched.page.getByLabel("Your name").fill(name);
  await watched.page.getByLabel("Email").fill(email);
  await watched.page.getByLabel("Password").fill(GOOD_PASSWORD);
  const answered = watched.page.waitForResponse(
    (response) => response.request().method() === "POST" && response.request().resourceType() === "document",
  );
  await watched.page.getByRole("button", { name: "Create account" }).click();
  const answer = await answered;
  // A 303 to the home page; anything else is the form again, saying why.
  expect(answer.status(), await answer.text().catch(() => "")).toBe(303);
  await watched.page.waitForURL(`${gatewayUrl}/`);
  return { ...watched, email };
}

describe("signing up, in and out in the browser", () => {
  it("signs up with the form, shows who is signed in, and keeps every token out of the page's reach", async () => {
    const { page, context, problems } = await signUpInBrowser("Grace Hopper");
    await expect.poll(() => page.locator("[data-signed-in-as]").textContent()).toBe("Grace Hopper");

    const cookies = await context.cookies();
    for (const name of SESSION_COOKIES) {
      const cookie = cookies.find((candidate) => candidate.name === name);
      expect(cookie, name).toMatchObject({ httpOnly: true, secure: true, sameSite: "Lax", path: "/" });
      expect(cookie?.domain, `${name} is host-only`).toBe(new URL(gatewayUrl).hostname);
    }
    // Nothing a page script (or an injected one) could read or send elsewhere.
    expect(await page.evaluate(() => document.cookie)).toBe("");
    expect(await page.evaluate(() => JSON.stringify({ ...sessionStorage, ...localStorage }))).toBe("{}");
    expect(problems.consoleErrors).toEqual([]);
  });

  it("signs in with the form, returns to the page asked for (only on this site), and says when the password is wrong", async () => {
    const { email } = await registerAndLogin("site-signin");
    const { page } = await browser.newPage();

    await page.goto(`${gatewayUrl}/signin?returnTo=${encodeURIComponent("/courses?level=beginner")}`);
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("not the password at all");
    const refused = page.waitForResponse(
      (response) => response.request().method() === "POST" && response.request().resourceType() === "document",
    );
    await page.getByRole("button", { name: "Sign in" }).click();
    expect((await refused).status()).toBe(400);
    await expect.poll(() => page.getByRole("alert").textContent()).toContain("The email or the password is not right.");
    expect(await page.getByLabel("Email").inputValue()).toBe(email);
    await checkAccessibility(page);
    await screenshot(page, "signin-error");

    await page.getByLabel("Password").fill(GOOD_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${gatewayUrl}/courses?level=beginner`);
    expect(await page.locator("[data-signed-in-as]").count()).toBe(1);

    // Another site as the place to return to falls back to the home page.
    const other = await browser.newPage();
    for (const evil of ["//evil.example/x", "https://evil.example/", "/\\evil.example"]) {
      await other.page.goto(`${gatewayUrl}/signin?returnTo=${encodeURIComponent(evil)}`);
      expect(await other.page.locator('#main input[name="returnTo"]').inputValue()).toBe("/");
    }
  });

  it("signs out from the header: the session ends at the API too, so replayed cookies open nothing", async () => {
    const { page, context } = await signUpInBrowser("Signing Out");
    const before = await context.cookies();
    const refresh = before.find((cookie) => cookie.name === "__Host-el_refresh")?.value;
    expect(refresh).toBeTruthy();

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(`${gatewayUrl}/`);
    expect(await page.getByRole("link", { name: "Sign in" }).count()).toBe(1);
    expect((await context.cookies()).filter((cookie) => SESSION_COOKIES.includes(cookie.name))).toEqual([]);

    // The refresh token the cookies held was revoked, not just forgotten by this browser.
    const replayed = await api("POST", "/api/auth/refresh", { body: { refreshToken: refresh } });
    expect(replayed.status).toBe(401);
    const stranger = await browser.newPage();
    await stranger.context.addCookies(before.filter((cookie) => cookie.name !== "__Host-el_access"));
    await stranger.page.goto(`${gatewayUrl}/`);
    expect(await stranger.page.locator("[data-signed-in-as]").count()).toBe(0);
  });

  it("refreshes an expired access token by itself, with the refresh token, and rotates it", async () => {
    const { page, context } = await signUpInBrowser("Refreshing Learner");
    const before = await context.cookies();
    // The access cookie expires with its token; the browser drops it.
    await context.clearCookies({ name: "__Host-el_access" });

    await page.goto(`${gatewayUrl}/courses`);
    expect(await page.locator("[data-signed-in-as]").textContent()).toBe("Refreshing Learner");
    const after = await context.cookies();
    const value = (list: typeof after, name: string) => list.find((cookie) => cookie.name === name)?.value;
    expect(value(after, "__Host-el_access")).toBeTruthy();
    expect(value(after, "__Host-el_refresh")).not.toBe(value(before, "__Host-el_refresh"));
  });

  it("a refresh token the API refuses ends the session in the browser too", async () => {
    const { page, context } = await signUpInBrowser("Refused Refresh");
    await context.clearCookies({ name: "__Host-el_access" });
    const url = new URL(gatewayUrl);
    await context.addCookies([
      { name: "__Host-el_refresh", value: "forged.refresh.token", domain: url.hostname, path: "/", secure: true },
    ]);
    await page.goto(`${gatewayUrl}/`);
    expect(await page.getByRole("link", { name: "Sign in" }).count()).toBe(1);
    const left = (await context.cookies()).filter((cookie) => SESSION_COOKIES.includes(cookie.name));
    expect(left).toEqual([]);
  });
});

describe("forms posted from another site", () => {
  it("are refused with a readable 403, and sign nobody in or out", async () => {
    const { email } = await registerAndLogin("site-csrf");
    const form = new URLSearchParams({ email, password: GOOD_PASSWORD, returnTo: "/" });
    const crossSite: Array<Record<string, string>> = [
      { origin: "http://evil.example" },
      { "sec-fetch-site": "cross-site" },
      // What a no-referrer page or a sandboxed frame sends: only the browser's own Sec-Fetch-Site may vouch for it.
      { origin: "null" },
      { origin: "null", "sec-fetch-site": "cross-site" },
      {},
    ];
    for (const headers of crossSite) {
      const response = await fetch(`${gatewayUrl}/signin`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
        body: form,
        redirect: "manual",
      });
      expect(response.status, JSON.stringify(headers)).toBe(403);
      expect(response.headers.get("content-type")).toBe("application/problem+json");
      expect(response.headers.get("set-cookie")).toBeNull();
      expect(((await response.json()) as { detail: string }).detail).toMatch(/another site/);
    }
    const sameSite = await fetch(`${gatewayUrl}/signin`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: new URL(gatewayUrl).origin },
      body: form,
      redirect: "manual",
    });
    expect(sameSite.status).toBe(303);
    expect(sameSite.headers.get("set-cookie")).toContain("__Host-el_refresh=");
  });
});

describe("every page", () => {
  it("carries a strict CSP and the security headers, and is private unless it is the same for everyone", async () => {
    const { tokens } = await registerAndLogin("site-headers");
    for (const path of ["/", "/signin", "/no-such-page"]) {
      const response = await fetch(`${gatewayUrl}${path}`);
      const csp = response.headers.get("content-security-policy") ?? "";
      expect(csp, path).toContain("script-src 'self'");
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("x-frame-options")).toBe("DENY");
      expect(response.headers.get("referrer-policy")).toBeTruthy();
      expect(response.headers.get("permissions-policy")).toContain("camera=()");
      expect(response.headers.get("strict-transport-security")).toContain("max-age=");
      const html = await response.text();
      // No inline script anywhere: every <script> with code has a src (JSON-LD data blocks aside).
      const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)(?![^>]*application\/ld\+json)[^>]*>/g)];
      expect(
        inline.map((match) => match[0]),
        path,
      ).toEqual([]);
    }
    expect((await fetch(`${gatewayUrl}/signin`)).headers.get("cache-control")).toBe("private, no-store");
    expect((await fetch(`${gatewayUrl}/no-such-page`)).status).toBe(404);

    // A signed-in visitor's copy of a public page names them: never shared.
    const signedIn = await fetch(`${gatewayUrl}/`, {
      headers: { cookie: `__Host-el_access=${tokens.accessToken}; __Host-el_refresh=${tokens.refreshToken}` },
    });
    expect(signedIn.headers.get("cache-control")).toBe("private, no-store");
  });

  it("speaks the browser's language (German here), and the footer switch changes it", async () => {
    const { page } = await browser.newPage({ locale: "de-DE" });
    await page.goto(`${gatewayUrl}/signin`);
    expect(await page.locator("html").getAttribute("lang")).toBe("de");
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Anmelden");

    await page.getByLabel("Sprache").selectOption("en");
    await page.getByRole("button", { name: "Übernehmen" }).click();
    await page.waitForURL(`${gatewayUrl}/signin`);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Sign in");
    await checkAccessibility(page);
  });
});
