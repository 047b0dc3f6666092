import { describe, expect, it } from "vitest";
import { addressGroup } from "../src/address-group.ts";

describe("IPv6 addresses count by their /64", () => {
  it("so a client cannot dodge its limit by picking a new address in its prefix", () => {
    const one = addressGroup("2001:db8:abcd:12::1");
    expect(one).toBe("2001:db8:abcd:12::/64");
    expect(addressGroup("2001:0db8:abcd:0012:ffff:1:2:3")).toBe(one);
    expect(addressGroup("2001:DB8:ABCD:12:0:0:0:99")).toBe(one);
  });

  it("while neighbouring prefixes stay apart", () => {
    expect(addressGroup("2001:db8:abcd:13::1")).not.toBe(addressGroup("2001:db8:abcd:12::1"));
  });

  it.each([
    ["::1", "0:0:0:0::/64"],
    ["fe80::1%eth0", "fe80:0:0:0::/64"],
    ["2001:db8::", "2001:db8:0:0::/64"],
    ["::", "0:0:0:0::/64"],
  ])("%s", (address, group) => {
    expect(addressGroup(address)).toBe(group);
  });

  it("an IPv4-mapped address counts as the IPv4 address it carries", () => {
    expect(addressGroup("::ffff:192.0.2.1")).toBe("192.0.2.1");
    expect(addressGroup("::ffff:c000:201")).toBe("192.0.2.1");
  });

  it.each(["2001:db8::1::2", "2001:db8:1:2:3:4:5:6:7", "2001:db8:zz::1", "1:2:3:4:5:6:7"])(
    "something that is not an address (%s) is kept whole rather than guessed at",
    (text) => {
      expect(addressGroup(text)).toBe(text.toLowerCase());
    },
  );
});
