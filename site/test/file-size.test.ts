import { describe, expect, it } from "vitest";
import { fileSize } from "../src/lib/learning-outline";

describe("a download's size as the player shows it", () => {
  it("says bytes in the plural and in German, and larger sizes in short units", () => {
    expect(fileSize("en", 32)).toBe("32 bytes");
    expect(fileSize("en", 1)).toBe("1 byte");
    expect(fileSize("de", 32)).toBe("32 Byte");
    expect(fileSize("en", 2_400_000)).toBe("2.4 MB");
    expect(fileSize("de", 2_400_000)).toBe("2,4 MB");
  });
});
