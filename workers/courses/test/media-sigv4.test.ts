import { describe, expect, it } from "vitest";
import { amzDate, awsPath, awsUriEncode, canonicalRequest, presignUrl, sha256Hex } from "../src/media/sigv4.ts";

/**
 * The example AWS publishes for presigned URLs ("Authenticating Requests: Using Query Parameters
 * (AWS Signature Version 4)", Amazon S3 API reference): a GET of examplebucket/test.txt, valid a
 * day. Matching its canonical request hash and signature proves the presigner without a network.
 */
const example = {
  url: new URL("https://examplebucket.s3.amazonaws.com/test.txt"),
  credentials: {
    accessKeyId: "AKIAIOSFODNN7EXAMPLE",
    secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    region: "us-east-1",
    service: "s3",
  },
  signedAt: new Date("2013-05-24T00:00:00Z"),
  expiresSeconds: 86_400,
};

describe("SigV4 query presigning", () => {
  it("signs AWS's published example to its published signature", async () => {
    const url = await presignUrl({ method: "GET", ...example });
    expect(url.searchParams.get("X-Amz-Signature")).toBe(
      "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404",
    );
    expect(url.toString()).toBe(
      "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256" +
        "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request" +
        "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host" +
        "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404",
    );
  });

  it("builds AWS's published canonical request for that example", async () => {
    const url = new URL(
      "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256" +
        "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request" +
        "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host",
    );
    const canonical = canonicalRequest("GET", url, new Map([["host", "examplebucket.s3.amazonaws.com"]]));
    expect(canonical).toBe(
      [
        "GET",
        "/test.txt",
        "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host",
        "host:examplebucket.s3.amazonaws.com",
        "",
        "host",
        "UNSIGNED-PAYLOAD",
      ].join("\n"),
    );
    expect(await sha256Hex(canonical)).toBe("3bfa292879f6447bbcda7001decf97f4a54dc650c8942174ae0a9121cf58ad04");
  });

  it("signs extra headers and the upload's own query parameters, so neither can be changed", async () => {
    const base = new URL(
      "https://acct.r2.cloudflarestorage.com/media/courses/c/u/clip.mp4?partNumber=2&uploadId=abc%2Bdef",
    );
    const signed = await presignUrl({
      method: "PUT",
      ...example,
      url: base,
      headers: { "Content-Length": "10485760" },
    });
    expect(signed.searchParams.get("X-Amz-SignedHeaders")).toBe("content-length;host");
    expect(signed.searchParams.get("partNumber")).toBe("2");
    expect(signed.searchParams.get("uploadId")).toBe("abc+def");
    const otherLength = await presignUrl({ method: "PUT", ...example, url: base, headers: { "content-length": "1" } });
    const otherPart = await presignUrl({
      method: "PUT",
      ...example,
      url: new URL(base.toString().replace("partNumber=2", "partNumber=3")),
      headers: { "content-length": "10485760" },
    });
    const signatures = [signed, otherLength, otherPart].map((url) => url.searchParams.get("X-Amz-Signature"));
    expect(new Set(signatures).size).toBe(3);
  });

  it("refuses lifetimes S3 would refuse", async () => {
    await expect(presignUrl({ method: "GET", ...example, expiresSeconds: 0 })).rejects.toThrow(RangeError);
    await expect(presignUrl({ method: "GET", ...example, expiresSeconds: 604_801 })).rejects.toThrow(RangeError);
  });

  it("encodes as SigV4 wants: RFC 3986 unreserved only, slashes kept between key segments", () => {
    expect(awsUriEncode("a b!'()*~._-")).toBe("a%20b%21%27%28%29%2A~._-");
    expect(awsPath(["courses", "id", "my file(1).mp4"])).toBe("courses/id/my%20file%281%29.mp4");
    expect(amzDate(new Date("2026-03-04T05:06:07.890Z"))).toBe("20260304T050607Z");
  });
});
