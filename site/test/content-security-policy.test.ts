import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, uploadOriginsFrom } from "../src/middleware/content-security-policy";

function connectSources(policy: string): string[] {
  const directive = policy.split("; ").find((part) => part.startsWith("connect-src "));
  return directive?.split(" ").slice(1) ?? [];
}

describe("the studio's upload origins in the Content-Security-Policy", () => {
  it("adds nothing when no origin is configured", () => {
    expect(connectSources(contentSecurityPolicy(true))).toEqual(["'self'"]);
    expect(uploadOriginsFrom(undefined)).toEqual([]);
    expect(uploadOriginsFrom("")).toEqual([]);
  });

  it("lets pages connect to the configured R2 endpoints, reduced to their origins", () => {
    const origins = uploadOriginsFrom(
      "https://acct.r2.cloudflarestorage.com/platform-course-media, https://s3.example.test:8443",
    );
    expect(origins).toEqual(["https://acct.r2.cloudflarestorage.com", "https://s3.example.test:8443"]);
    expect(connectSources(contentSecurityPolicy(true, origins))).toEqual([
      "'self'",
      "https://acct.r2.cloudflarestorage.com",
      "https://s3.example.test:8443",
    ]);
  });

  it("never widens the policy with keywords, wildcards, plain http or credentials", () => {
    expect(
      uploadOriginsFrom("* 'unsafe-inline' http://r2.example.test https://user:pw@r2.example.test data: https:"),
    ).toEqual([]);
    // A host smuggling another directive is not an origin.
    expect(uploadOriginsFrom("https://r2.example.test;script-src *")).toEqual([]);
  });
});
