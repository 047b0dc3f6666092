import { describe, expect, it } from "vitest";
import { GOOD_PASSWORD, api, gatewayUrl, uniqueEmail, type TokenPair } from "../../test/support/api.ts";
import { checkAccessibility, screenshot, useBrowser } from "../../test/support/browser.ts";
import { mailTo } from "../../test/support/mailbox.ts";
import { ASYNC_EFFECTS } from "../../test/support/polling.ts";

/**
 * The links the account mails carry, followed in Chromium as a person does from their mail client:
 * the page opens on a button (a mail scanner opening the link changes nothing), the button posts the
 * token, and the outcome is said on the page. These pages are sent with `Referrer-Policy: no-referrer`
 * (the token is in the address), so the browser's POST carries `Origin: null`, which the site must
 * accept as same-site through `Sec-Fetch-Site`: fetch-based tests cannot show that, a browser does.
 */
const browser = useBrowser();

const NEW_PASSWORD = "a brand new passphrase";

/** The link to `path` in the newest mail to `to` that has one, waiting for it to arrive. */
async function linkInMail(to: string, path: string): Promise<string> {
  const pattern = new RegExp(`https?://[^\\s"'<>]+${path.replaceAll("/", "\\/")}\\?token=[A-Za-z0-9_-]+`);
  let link = "";
  await expect
    .poll(async () => {
      for (const mail of await mailTo(to)) link = pattern.exec(mail.text)?.[0] ?? link;
      return link !== "";
    }, ASYNC_EFFECTS)
    .toBe(true);
  // The mail's origin is the platform's public one; the test reaches the same pages through its gateway.
  const url = new URL(link);
  return `${gatewayUrl}${url.pathname}${url.search}`;
}

describe("mailed links in a real browser", () => {
  it("verification: the page asks first, and its button confirms the address", async () => {
    const email = uniqueEmail("browser-verify");
    const registered = await api("POST", "/api/auth/register", {
      body: { email, password: GOOD_PASSWORD, name: "Vera Link" },
    });
    expect(registered.status).toBe(201);
    const signedIn = await api<TokenPair>("POST", "/api/auth/login", { body: { email, password: GOOD_PASSWORD } });
    const verified = async () =>
      (await api<{ emailVerified: boolean }>("GET", "/api/auth/me", { token: signedIn.body.accessToken })).body
        .emailVerified;

    const { page, problems } = await browser.newPage();
    const opened = await page.goto(await linkInMail(email, "/account/verify-email"));
    expect(opened?.headers()["referrer-policy"]).toBe("no-referrer");
    await page.locator("form[data-state=ask]").waitFor();
    expect(await verified()).toBe(false);
    await checkAccessibility(page);

    const posted = page.waitForResponse((response) => response.request().method() === "POST");
    await page.locator("form[data-state=ask] button[type=submit]").click();
    const answer = await posted;
    expect(answer.status()).toBe(200);
    expect(await answer.request().headerValue("origin")).toBe("null");
    await page.locator("[data-state=done]").waitFor();
    expect(await verified()).toBe(true);
    await screenshot(page, "verify-email-done");
    expect(problems.pageErrors).toEqual([]);
  });

  it("reset: asked for on the site, the mailed link's form sets the new password once", async () => {
    const email = uniqueEmail("browser-reset");
    expect(
      (await api("POST", "/api/auth/register", { body: { email, password: GOOD_PASSWORD, name: "Reese Link" } }))
        .status,
    ).toBe(201);

    const { page, problems } = await browser.newPage();
    await page.goto(`${gatewayUrl}/account/reset-password`);
    await page.locator("form[data-state=request] input[name=email]").fill(email);
    await page.locator("form[data-state=request] button[type=submit]").click();
    await page.locator("[data-state=requested]").waitFor();

    const link = await linkInMail(email, "/account/reset-password");
    await page.goto(link);
    const form = page.locator("form[data-state=choose]");
    await form.locator("input[name=password]").fill(NEW_PASSWORD);
    await form.locator("input[name=confirmPassword]").fill(NEW_PASSWORD);
    await form.locator("button[type=submit]").click();
    await page.locator("[data-state=done]").waitFor();
    expect((await api("POST", "/api/auth/login", { body: { email, password: NEW_PASSWORD } })).status).toBe(200);
    expect((await api("POST", "/api/auth/login", { body: { email, password: GOOD_PASSWORD } })).status).toBe(401);

    // The same link again: refused on the page, and the password stays the one it set.
    await page.goto(link);
    await form.locator("input[name=password]").fill("yet another passphrase");
    await form.locator("input[name=confirmPassword]").fill("yet another passphrase");
    await form.locator("button[type=submit]").click();
    await page.locator("[data-state=invalid]").waitFor();
    await checkAccessibility(page);
    expect((await api("POST", "/api/auth/login", { body: { email, password: NEW_PASSWORD } })).status).toBe(200);
    expect(problems.pageErrors).toEqual([]);
  });
});
