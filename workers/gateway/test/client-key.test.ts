import { describe, expect, it } from "vitest";
import { clientKeyOf } from "../src/rate-limit/client-key.ts";

describe("whose budget a request spends", () => {
  it("a signed-in caller's own, wherever they connect from", () => {
    expect(clientKeyOf({ userId: "u-1" }, "192.0.2.1")).toBe("user:u-1");
    expect(clientKeyOf({ userId: "u-1" }, "198.51.100.7")).toBe("user:u-1");
  });

  it("an anonymous caller's address", () => {
    expect(clientKeyOf(undefined, "192.0.2.1")).toBe("ip:192.0.2.1");
    expect(clientKeyOf(undefined, " 192.0.2.1 ")).toBe("ip:192.0.2.1");
  });

  it("one shared budget when no address is known (only ever the case off Cloudflare), apart from every address's", () => {
    expect(clientKeyOf(undefined, undefined)).toBe("unattributed");
    expect(clientKeyOf(undefined, "")).toBe("unattributed");
    expect(clientKeyOf(undefined, "  ")).toBe("unattributed");
    // No header value lands in it: a client claiming the address "unknown" is just that address.
    expect(clientKeyOf(undefined, "unknown")).toBe("ip:unknown");
    expect(clientKeyOf(undefined, "unattributed")).not.toBe("unattributed");
  });
});

describe("IPv6 callers", () => {
  it("an anonymous IPv6 caller's /64, by the rule shared with the sign-in throttle (http-kit addressGroup)", () => {
    expect(clientKeyOf(undefined, "2001:db8:abcd:12::1")).toBe("ip:2001:db8:abcd:12::/64");
    expect(clientKeyOf(undefined, "2001:db8:abcd:12:ffff::7")).toBe("ip:2001:db8:abcd:12::/64");
  });
});
