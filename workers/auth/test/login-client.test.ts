import { describe, expect, it } from "vitest";
import { addressGroup } from "@platform/http-kit";
import { loginClientKey } from "../src/login-client.ts";

describe("the client a sign-in attempt is throttled as", () => {
  it("is one client for every address of one IPv6 /64, as at the gateway", () => {
    expect(loginClientKey("2001:db8:1:2::1")).toBe(loginClientKey("2001:db8:1:2:dead:beef:0:9"));
    expect(loginClientKey("2001:db8:1:2::1")).toBe(addressGroup("2001:db8:1:2::1"));
  });

  it("keeps neighbouring prefixes and IPv4 addresses apart", () => {
    expect(loginClientKey("2001:db8:1:3::1")).not.toBe(loginClientKey("2001:db8:1:2::1"));
    expect(loginClientKey(" 192.0.2.1 ")).toBe("192.0.2.1");
    expect(loginClientKey("::ffff:192.0.2.1")).toBe("192.0.2.1");
  });

  it("is one shared client when no address is known", () => {
    expect(loginClientKey(undefined)).toBe("unknown");
    expect(loginClientKey("  ")).toBe("unknown");
  });
});
