import { describe, expect, it } from "vitest";
import { parseOrigins, withVary } from "../src/cors-policy.ts";

describe("CORS_ORIGINS", () => {
  it("lists exact origins, normalised the way browsers send them", () => {
    expect([...parseOrigins(" https://App.Example.com/ , http://localhost:4321")]).toEqual([
      "https://app.example.com",
      "http://localhost:4321",
    ]);
  });

  it("empty or unset allows no origin at all", () => {
    expect(parseOrigins("").size).toBe(0);
    expect(parseOrigins(undefined).size).toBe(0);
  });

  it.each(["*", "null", "example.com", "https://example.com/app", "ftp://example.com", "https://*.example.com"])(
    "ignores %j: no wildcard, no opaque origin, nothing but scheme://host[:port]",
    (entry) => {
      expect(parseOrigins(`${entry},https://ok.example`).has("https://ok.example")).toBe(true);
      expect(parseOrigins(entry).size).toBe(0);
    },
  );
});

describe("Vary", () => {
  it("is added to, never overwritten, and never duplicated", () => {
    expect(withVary(null, ["Origin"])).toBe("Origin");
    expect(withVary("Accept-Encoding", ["Origin"])).toBe("Accept-Encoding, Origin");
    expect(withVary("origin", ["Origin"])).toBe("origin");
    expect(withVary("*", ["Origin"])).toBe("*");
  });
});
