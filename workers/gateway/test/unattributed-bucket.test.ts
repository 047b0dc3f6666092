import { describe, expect, it } from "vitest";
import { clientKeyOf, UNATTRIBUTED_KEY } from "../src/rate-limit/client-key.ts";
import { exactRuleFor, UNATTRIBUTED_LIMIT_FACTOR } from "../src/rate-limit/rules.ts";
import { asVisitorRequest, VISITOR_ADDRESS_HEADER } from "../src/rate-limit/visitor-address.ts";

/**
 * Requests without `cf-connecting-ip` (never from the internet through Cloudflare) share one
 * bucket: keyed apart from every address, and with more room than one client gets.
 */
describe("the bucket of requests without an address", () => {
  it("is not any address's bucket, whatever an address looks like", () => {
    expect(clientKeyOf(undefined, undefined)).toBe(UNATTRIBUTED_KEY);
    for (const address of ["unknown", "unattributed", "127.0.0.1", "::1"]) {
      expect(clientKeyOf(undefined, address)).not.toBe(UNATTRIBUTED_KEY);
    }
  });

  it("has each exact limit raised by the factor, over the same window", () => {
    const vars = { LOGIN_RATE_LIMIT: "10", LOGIN_RATE_WINDOW_SECONDS: "4", REGISTER_RATE_LIMIT: "5" };
    expect(UNATTRIBUTED_LIMIT_FACTOR).toBeGreaterThan(1);
    expect(exactRuleFor("POST", "/api/auth/login", vars, true)).toMatchObject({
      limit: 10 * UNATTRIBUTED_LIMIT_FACTOR,
      windowMs: 4_000,
    });
    expect(exactRuleFor("POST", "/api/auth/register", vars, true)).toMatchObject({
      limit: 5 * UNATTRIBUTED_LIMIT_FACTOR,
    });
    expect(exactRuleFor("POST", "/api/auth/login", vars, false)).toMatchObject({ limit: 10 });
  });
});

describe("a request through the SiteApi entrypoint", () => {
  it("counts as the visitor the site names, whatever address it came with", () => {
    const request = asVisitorRequest(
      new Request("http://gateway/api/courses", {
        headers: { [VISITOR_ADDRESS_HEADER]: " 2001:db8:1:2::9 ", "cf-connecting-ip": "203.0.113.9" },
      }),
    );
    expect(request.headers.get("cf-connecting-ip")).toBe("2001:db8:1:2::9");
    expect(request.headers.has(VISITOR_ADDRESS_HEADER)).toBe(false);
  });

  it("counts in the header-less bucket when the site names no visitor", () => {
    const request = asVisitorRequest(
      new Request("http://gateway/api/courses", { headers: { "cf-connecting-ip": "203.0.113.9" } }),
    );
    expect(request.headers.has("cf-connecting-ip")).toBe(false);
    expect(clientKeyOf(undefined, request.headers.get("cf-connecting-ip") ?? undefined)).toBe(UNATTRIBUTED_KEY);
  });
});
