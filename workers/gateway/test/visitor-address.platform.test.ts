import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import { getPlatformProxy } from "wrangler";
import { VISITOR_ADDRESS_HEADER } from "../src/rate-limit/visitor-address.ts";
import { api, gatewayUrl, newClientAddress, type ApiResponse } from "../../../test/support/api.ts";

/**
 * Whose budget requests without `cf-connecting-ip` spend, and whose the site's server-side API
 * calls spend, on the real stack (test/setup/platform.ts: login limit 10 per 4 s).
 */
const LOGIN_LIMIT = Number(inject("gatewayVars").LOGIN_RATE_LIMIT);
/** The coarse limit's binding in the root wrangler.toml: 600 per 60 s window. */
const API_LIMIT = 600;

/**
 * The gateway's SiteApi entrypoint, bound from this test as the site binds it (through the stack's
 * dev registry). Over HTTP every request has an address (wrangler dev, like Cloudflare, sets
 * `cf-connecting-ip` from the connection), so a binding is the only way to send one without.
 */
interface Fetcher {
  fetch(input: string, init?: RequestInit): Promise<Response>;
}

async function bindToSiteApi(): Promise<{ api: Fetcher; dispose(): Promise<void> }> {
  process.env.WRANGLER_REGISTRY_PATH = inject("registryPath");
  const folder = mkdtempSync(join(tmpdir(), "site-api-caller-"));
  const config = join(folder, "wrangler.json");
  writeFileSync(
    config,
    JSON.stringify({
      name: "site-api-caller",
      compatibility_date: "2026-11-01",
      services: [{ binding: "API", service: "platform-gateway", entrypoint: "SiteApi" }],
    }),
  );
  const proxy = await getPlatformProxy<{ API: Fetcher }>({
    configPath: config,
    persist: { path: join(folder, "state") },
  });
  return {
    api: proxy.env.API,
    dispose: async () => {
      await proxy.dispose();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

const signInAttempt = (api: Fetcher, headers: Record<string, string> = {}) =>
  api
    .fetch(`${gatewayUrl}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: "{}",
    })
    .then(async (response) => (await response.text(), response.status));

describe("calls without a client address, and the site's calls with one", () => {
  it("without an address share a bucket of their own with more room than one client; with the visitor's, spend that visitor's", async () => {
    const { api, dispose } = await bindToSiteApi();
    try {
      const statuses: number[] = [];
      for (let attempt = 0; attempt < LOGIN_LIMIT * 2; attempt++) statuses.push(await signInAttempt(api));
      // Twice one client's limit, all answered by the auth worker (400 for the empty body), none refused.
      expect(statuses).toEqual(Array(LOGIN_LIMIT * 2).fill(400));

      // The visitor's address the site passes on is that visitor's budget: the limit applies.
      const visitor = { [VISITOR_ADDRESS_HEADER]: newClientAddress() };
      const visitorStatuses: number[] = [];
      for (let attempt = 0; attempt <= LOGIN_LIMIT; attempt++) visitorStatuses.push(await signInAttempt(api, visitor));
      expect(visitorStatuses).toEqual([...Array<number>(LOGIN_LIMIT).fill(400), 429]);
    } finally {
      await dispose();
    }
  });

  it("from the internet, the site's header means nothing: a client cannot pick another address with it", async () => {
    const client = newClientAddress();
    const statuses: number[] = [];
    for (let attempt = 0; attempt <= LOGIN_LIMIT; attempt++) {
      const response = await api("POST", "/api/auth/login", {
        body: {},
        headers: { "cf-connecting-ip": client, [VISITOR_ADDRESS_HEADER]: newClientAddress() },
      });
      statuses.push(response.status);
    }
    expect(statuses).toEqual([...Array<number>(LOGIN_LIMIT).fill(400), 429]);
  });
});

describe("the site's server-side API calls", () => {
  it("spend the visitor's budget: a visitor past the coarse limit sees the catalog unavailable, another sees it", async () => {
    const visitor = newClientAddress();
    const probe = () => api("GET", "/api/users/visitor-address-probe", { headers: { "cf-connecting-ip": visitor } });
    // The binding counts in fixed windows: a burst across a window's end may need up to twice the limit.
    let refused: ApiResponse | undefined;
    for (let sent = 0; !refused && sent < 2 * API_LIMIT + 50; sent += 25) {
      refused = (await Promise.all(Array.from({ length: 25 }, probe))).find((response) => response.status === 429);
    }
    expect(refused, "the visitor's own API requests were refused").toBeDefined();

    // A search nobody made before: the site has no kept copy of this page, so rendering it calls
    // the API, with the visitor's address.
    const catalogPage = `${gatewayUrl}/courses?q=visitor${Date.now()}`;
    const page = async (address: string) => {
      const response = await fetch(catalogPage, { headers: { "cf-connecting-ip": address } });
      const state = /data-state="([\w-]+)"/.exec(await response.text())?.[1];
      return { status: response.status, state, cache: response.headers.get("x-site-cache") };
    };
    // The visitor past the limit is told so (the API's 429 passes through), and nothing is kept for others.
    expect(await page(visitor)).toEqual({ status: 429, state: "unavailable", cache: "bypass" });
    expect(await page(newClientAddress())).toEqual({ status: 200, state: "empty", cache: "miss" });
  });
});
