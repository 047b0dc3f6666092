import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { api, gatewayUrl } from "../support/api.ts";
import { useBrowser } from "../support/browser.ts";

/**
 * The API reference at /api/docs in Chromium, on the running stack: Scalar's renderer draws the merged
 * OpenAPI document, and every request the page makes goes to the gateway's own origin (the renderer is
 * one of the site's static assets, copied from its npm package at build), so the page works where no
 * CDN can be reached. useBrowser also fails a test whose page broke the Content-Security-Policy.
 */
const browser = useBrowser();
const origin = new URL(gatewayUrl).origin;

type Document = { paths: Record<string, Record<string, { summary?: string }>> };

/** Not requests that leave the browser: inline data and objects the page made itself. */
const isLocalToBrowser = (url: string) => url.startsWith("data:") || url.startsWith("blob:");

describe("the API reference page in Chromium", () => {
  it("renders an operation of the merged document, asking nothing of any other origin", async () => {
    const { body: document } = await api<Document>("GET", "/api/openapi.json");
    const summary = document.paths["/api/auth/login"]?.["post"]?.summary;
    expect(summary, "POST /api/auth/login is documented with a summary").toBeTruthy();

    const { page, context, problems } = await browser.newPage();
    const requested: string[] = [];
    // The context's listener also hears what a second page or a worker of the page would ask for.
    context.on("request", (request) => requested.push(request.url()));
    // The renderer's own link to an operation: the auth group is opened and the operation shown.
    const response = await page.goto(`${gatewayUrl}/api/docs#tag/auth/POST/api/auth/login`, { waitUntil: "load" });
    expect(response?.status()).toBe(200);

    // Throws (failing the test) unless the operation's heading shows within the deadline.
    await page
      .getByRole("heading", { name: summary ?? "", exact: true })
      .first()
      .waitFor({ state: "visible", timeout: 20_000 });
    // Fonts, images and lazy parts are asked for after the first render: wait until nothing is in flight.
    await page.waitForLoadState("networkidle");

    const elsewhere = requested.filter((url) => !isLocalToBrowser(url) && new URL(url).origin !== origin);
    expect(elsewhere, "requests to another origin").toEqual([]);
    expect(requested).toContain(`${origin}/api/openapi.json`);
    expect(requested.some((url) => url.startsWith(`${origin}/_vendor/scalar-api-reference-`))).toBe(true);
    expect(problems.consoleErrors).toEqual([]);
    expect(problems.pageErrors).toEqual([]);
  });

  it("gets the renderer the page names from this origin: the very file its integrity describes, cached for good", async () => {
    const page = await (await fetch(`${gatewayUrl}/api/docs`)).text();
    const script = /<script src="([^"]+)" integrity="sha384-([A-Za-z0-9+/=]+)"><\/script>/.exec(page);
    expect(script, "a script with its integrity in the page").not.toBeNull();
    const [, src = "", integrity = ""] = script ?? [];
    const url = new URL(src, gatewayUrl);
    expect(url.origin).toBe(origin);

    const renderer = await fetch(url);
    expect(renderer.status).toBe(200);
    expect(renderer.headers.get("content-type")).toMatch(/javascript/);
    expect(renderer.headers.get("cache-control")).toContain("immutable");
    const body = Buffer.from(await renderer.arrayBuffer());
    expect(createHash("sha384").update(body).digest("base64")).toBe(integrity);
  });
});
