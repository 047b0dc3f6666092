import { describe, expect, it } from "vitest";
import { planParts } from "../src/media/part-plan.ts";
import { PRESIGNED_PART_SECONDS, partTargets, s3TargetFrom } from "../src/media/part-urls.ts";
import { presignUrl } from "../src/media/sigv4.ts";

const MiB = 1024 * 1024;
const request = {
  courseId: "0190c0de-0000-7000-8000-000000000001",
  uploadId: "0190c0de-0000-7000-8000-0000000000aa",
  objectKey: "courses/0190c0de-0000-7000-8000-000000000001/0190c0de-0000-7000-8000-0000000000aa/intro.mp4",
  r2UploadId: "r2-upload+id/1",
  plan: planParts(25 * MiB),
  now: new Date("2026-05-01T10:00:00Z"),
};
const s3Vars = {
  R2_ACCOUNT_ID: "0123456789abcdef",
  R2_ACCESS_KEY_ID: "AKIDEXAMPLE",
  R2_SECRET_ACCESS_KEY: "secret",
  R2_BUCKET_NAME: "platform-course-media",
};

describe("where parts go", () => {
  it("without S3 settings: the proxied part route of this API, for each part with its size", async () => {
    expect(s3TargetFrom({ DATABASE_URL: "x" })).toBeUndefined();
    const targets = await partTargets(request, undefined);
    expect(targets).toEqual(
      [1, 2, 3].map((partNumber) => ({
        partNumber,
        sizeBytes: partNumber < 3 ? 10 * MiB : 5 * MiB,
        method: "PUT",
        url: `/api/courses/${request.courseId}/uploads/${request.uploadId}/parts/${partNumber}`,
        expiresAt: null,
      })),
    );
    expect((await partTargets(request, undefined, [2])).map((target) => target.partNumber)).toEqual([2]);
  });

  it("with S3 settings: an UploadPart URL on the account's R2 endpoint, presigned with the part's exact length", async () => {
    const s3 = s3TargetFrom(s3Vars);
    if (!s3) throw new Error("expected S3 settings");
    const [first, , last] = await partTargets(request, s3);
    const url = new URL(first?.url ?? "");
    expect(url.origin).toBe("https://0123456789abcdef.r2.cloudflarestorage.com");
    expect(url.pathname).toBe(`/platform-course-media/${request.objectKey}`);
    expect(url.searchParams.get("partNumber")).toBe("1");
    expect(url.searchParams.get("uploadId")).toBe(request.r2UploadId);
    expect(url.searchParams.get("X-Amz-SignedHeaders")).toBe("content-length;host");
    expect(url.searchParams.get("X-Amz-Expires")).toBe(String(PRESIGNED_PART_SECONDS));
    expect(url.searchParams.get("X-Amz-Credential")).toBe("AKIDEXAMPLE/20260501/auto/s3/aws4_request");
    expect(first?.expiresAt).toBe("2026-05-01T16:00:00.000Z");
    expect(new URL(last?.url ?? "").searchParams.get("partNumber")).toBe("3");

    // The URL is exactly what signing it afresh gives (same path, query and content-length).
    const unsigned = new URL(url);
    for (const name of [...unsigned.searchParams.keys()])
      if (name.startsWith("X-Amz-")) unsigned.searchParams.delete(name);
    const again = await presignUrl({
      method: "PUT",
      url: unsigned,
      credentials: s3.credentials,
      signedAt: request.now,
      expiresSeconds: PRESIGNED_PART_SECONDS,
      headers: { "content-length": String(10 * MiB) },
    });
    expect(again.searchParams.get("X-Amz-Signature")).toBe(url.searchParams.get("X-Amz-Signature"));
  });

  it("uses R2_S3_ENDPOINT when given (a jurisdiction, or a local S3 endpoint under a path)", async () => {
    const s3 = s3TargetFrom({
      ...s3Vars,
      R2_ACCOUNT_ID: "",
      R2_S3_ENDPOINT: "http://127.0.0.1:8787/cdn-cgi/local/r2/s3",
    });
    const [first] = await partTargets(request, s3, [1]);
    const url = new URL(first?.url ?? "");
    expect(url.host).toBe("127.0.0.1:8787");
    expect(url.pathname).toBe(`/cdn-cgi/local/r2/s3/platform-course-media/${request.objectKey}`);
  });

  it("refuses half a configuration rather than silently proxying", () => {
    expect(() => s3TargetFrom({ R2_ACCESS_KEY_ID: "AKIDEXAMPLE" })).toThrow(/incomplete/);
  });
});
