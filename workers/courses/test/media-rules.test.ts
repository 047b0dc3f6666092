import { describe, expect, it } from "vitest";
import { ProblemError } from "@platform/http-kit";
import { mediaObjectKey, mediaUrlPath, relativeMediaKey, safeFileName } from "../src/media/object-key.ts";
import { DEFAULT_PART_BYTES, MAX_PARTS, MIN_PART_BYTES, expectedPartSize, planParts } from "../src/media/part-plan.ts";
import { checkUpload, essenceOf } from "../src/media/policy.ts";
import { noneMatch, parseRange, rangeStillValid } from "../src/media/range.ts";

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

function problemOf(run: () => unknown): ProblemError {
  try {
    run();
  } catch (error) {
    if (error instanceof ProblemError) return error;
    throw error;
  }
  throw new Error("no problem was thrown");
}

describe("the upload allow-list", () => {
  it("takes allowed types up to their limit, videos past 5 GB, and normalises the type", () => {
    expect(checkUpload("video/mp4", 5 * GiB + 1, "lesson")).toBe("video/mp4");
    expect(checkUpload("Video/WebM; codecs=vp9", 8 * GiB, "lesson")).toBe("video/webm");
    expect(checkUpload("image/png", 10 * MiB, "cover")).toBe("image/png");
    expect(checkUpload("application/pdf", 1, "lesson")).toBe("application/pdf");
  });

  it.each(["text/html", "image/svg+xml", "application/x-msdownload", "application/octet-stream", ""])(
    "refuses %j with 415 (a type a browser could run, or anything unlisted)",
    (type) => {
      expect(problemOf(() => checkUpload(type, 100, "lesson"))).toMatchObject({
        status: 415,
        code: "unsupported-media-type",
      });
    },
  );

  it("refuses anything but an image as a cover with 415", () => {
    expect(problemOf(() => checkUpload("video/mp4", 100, "cover")).status).toBe(415);
  });

  it("refuses one byte over a type's limit with 413", () => {
    expect(problemOf(() => checkUpload("video/mp4", 8 * GiB + 1, "lesson"))).toMatchObject({
      status: 413,
      code: "payload-too-large",
    });
    expect(problemOf(() => checkUpload("image/jpeg", 10 * MiB + 1, "lesson")).status).toBe(413);
  });

  it("reads the essence of a type", () => {
    expect(essenceOf(" Image/PNG ;charset=x")).toBe("image/png");
  });
});

describe("cutting a file into parts", () => {
  it("uses equal 10 MiB parts and a shorter last one", () => {
    const plan = planParts(25 * MiB);
    expect(plan).toEqual({ sizeBytes: 25 * MiB, partSizeBytes: DEFAULT_PART_BYTES, partCount: 3 });
    expect([1, 2, 3].map((n) => expectedPartSize(plan, n))).toEqual([10 * MiB, 10 * MiB, 5 * MiB]);
  });

  it("gives a small file one part, and an exact multiple no empty last part", () => {
    expect(planParts(1)).toMatchObject({ partCount: 1 });
    const exact = planParts(20 * MiB);
    expect(exact.partCount).toBe(2);
    expect(expectedPartSize(exact, 2)).toBe(10 * MiB);
  });

  it("grows the part size in whole MiB when a file would need more than 10,000 parts", () => {
    const plan = planParts(200 * GiB);
    expect(plan.partCount).toBeLessThanOrEqual(MAX_PARTS);
    expect(plan.partSizeBytes % MiB).toBe(0);
    expect(plan.partSizeBytes).toBeGreaterThan(DEFAULT_PART_BYTES);
    // An 8 GiB video, the largest allowed, stays on the default.
    expect(planParts(8 * GiB)).toMatchObject({ partSizeBytes: DEFAULT_PART_BYTES, partCount: 820 });
    expect(DEFAULT_PART_BYTES).toBeGreaterThanOrEqual(MIN_PART_BYTES);
  });

  it("refuses part numbers outside the plan and sizes it cannot plan", () => {
    const plan = planParts(25 * MiB);
    expect(() => expectedPartSize(plan, 0)).toThrow(RangeError);
    expect(() => expectedPartSize(plan, 4)).toThrow(RangeError);
    expect(() => planParts(0)).toThrow(RangeError);
  });
});

describe("object keys", () => {
  const course = "0190c0de-0000-7000-8000-000000000001";
  const upload = "0190c0de-0000-7000-8000-0000000000aa";

  it("keep only safe characters of the file name, and never a path", () => {
    expect(safeFileName("Leçon 1: intro (final).MP4")).toBe("Lecon-1-intro-final.MP4");
    expect(safeFileName("../../etc/passwd")).toBe("passwd");
    expect(safeFileName("C:\\videos\\clip.mov")).toBe("clip.mov");
    expect(safeFileName("...")).toBe("file");
    expect(safeFileName(".hidden")).toBe("hidden");
    const long = safeFileName(`${"a".repeat(300)}.webm`);
    expect(long).toHaveLength(120);
    expect(long.endsWith(".webm")).toBe(true);
  });

  it("sit under the course, unique per upload, and map to the media URL and back", () => {
    const key = mediaObjectKey(course, upload, "intro.mp4");
    expect(key).toBe(`courses/${course}/${upload}/intro.mp4`);
    expect(relativeMediaKey(course, key)).toBe(`${upload}/intro.mp4`);
    expect(mediaUrlPath(course, key)).toBe(`/api/courses/${course}/media/${upload}/intro.mp4`);
    expect(() => relativeMediaKey("another", key)).toThrow();
  });
});

describe("byte ranges", () => {
  const size = 1000;

  it.each([
    ["bytes=0-99", { kind: "part", offset: 0, length: 100 }],
    ["bytes=900-", { kind: "part", offset: 900, length: 100 }],
    ["bytes=-100", { kind: "part", offset: 900, length: 100 }],
    ["bytes=-5000", { kind: "part", offset: 0, length: 1000 }],
    ["bytes=990-5000", { kind: "part", offset: 990, length: 10 }],
    ["bytes=999-999", { kind: "part", offset: 999, length: 1 }],
  ])("%s → %j", (header, expected) => {
    expect(parseRange(header, size)).toEqual(expected);
  });

  it.each(["bytes=1000-", "bytes=1000-1001", "bytes=-0"])("%s is unsatisfiable (416)", (header) => {
    expect(parseRange(header, size)).toEqual({ kind: "unsatisfiable" });
  });

  it.each([undefined, "", "bytes=0-1,5-6", "items=0-1", "bytes=5-1", "bytes=-", "bytes=abc"])(
    "%j is ignored: the whole object",
    (header) => {
      expect(parseRange(header, size)).toEqual({ kind: "whole" });
    },
  );

  it("If-None-Match matches the ETag (weakly, in a list, or *) and nothing else", () => {
    expect(noneMatch('"abc"', '"abc"')).toBe(true);
    expect(noneMatch('W/"abc", "x"', '"abc"')).toBe(true);
    // A comma inside a tag does not split it into tags that could match.
    expect(noneMatch('"a,b"', '"a"')).toBe(false);
    expect(noneMatch('"x", "a,b"', '"a,b"')).toBe(true);
    expect(noneMatch("*", '"abc"')).toBe(true);
    expect(noneMatch('"abd"', '"abc"')).toBe(false);
    expect(noneMatch(undefined, '"abc"')).toBe(false);
  });

  it("If-Range keeps the range only for the same strong ETag", () => {
    expect(rangeStillValid(undefined, '"abc"')).toBe(true);
    expect(rangeStillValid('"abc"', '"abc"')).toBe(true);
    expect(rangeStillValid('W/"abc"', '"abc"')).toBe(false);
    expect(rangeStillValid("Wed, 21 Oct 2015 07:28:00 GMT", '"abc"')).toBe(false);
  });
});
