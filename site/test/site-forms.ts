import type { Page } from "playwright-core";
import { GOOD_PASSWORD, gatewayUrl } from "../../test/support/api.ts";

/**
 * The site's own forms as a person uses them, shared by the browser tests. Fields are found by
 * name, not label, so the helpers work whatever language the page speaks.
 */

/** Signs in with the sign-in form (the test password) and waits to land on `returnTo`. */
export async function signInThroughSite(page: Page, email: string, returnTo: string): Promise<void> {
  await page.goto(`${gatewayUrl}/signin?returnTo=${encodeURIComponent(returnTo)}`);
  const form = page.locator("form[data-form=sign-in]");
  await form.locator("input[name=email]").fill(email);
  await form.locator("input[name=password]").fill(GOOD_PASSWORD);
  await form.locator("button[type=submit]").click();
  await page.waitForURL(`${gatewayUrl}${returnTo}`);
}

/**
 * Clicks a form's button and answers the status of the page's own POST (303 on success, the page
 * again with a problem otherwise): only the document request, never a script's (a signed-in page
 * also posts for its live ticket).
 */
export async function submitForm(page: Page, button: string): Promise<number> {
  const answered = page.waitForResponse(
    (response) => response.request().method() === "POST" && response.request().resourceType() === "document",
  );
  await page.getByRole("button", { name: button, exact: true }).click();
  const status = (await answered).status();
  await page.waitForLoadState("load");
  return status;
}
