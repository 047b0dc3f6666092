import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import {
  PAID_PLAN_LIMIT_BYTES,
  anyOverLimit,
  bundleSizeMarkdown,
  measureBundle,
  measureBundles,
} from "../src/bundle-size.ts";

const root = mkdtempSync(join(tmpdir(), "bundle-size-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A worker's folder as `wrangler deploy --dry-run --outdir` leaves it. */
function writeBundle(worker: string, files: Record<string, string>): string {
  const dir = join(root, "bundles", worker);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

const code = "export default { fetch() { return new Response('hello'); } };\n".repeat(200);
const chunk = "export const text = 'a chunk';\n".repeat(50);

describe("measureBundle", () => {
  it("counts the modules, raw and gzip, and leaves out source maps and wrangler's README", () => {
    const dir = writeBundle("platform-site", {
      "entry.mjs": code,
      "chunks/a.mjs": chunk,
      "entry.mjs.map": "x".repeat(100_000),
      "README.md": "This folder contains the built output assets",
    });
    const size = measureBundle("platform-site", dir);
    expect(size).toEqual({
      worker: "platform-site",
      files: 2,
      bytes: Buffer.byteLength(code) + Buffer.byteLength(chunk),
      gzipBytes: gzipSync(code, { level: 9 }).byteLength + gzipSync(chunk, { level: 9 }).byteLength,
    });
    expect(size.gzipBytes).toBeLessThan(size.bytes);
  });

  it("fails on a folder with no bundle in it", () => {
    const dir = writeBundle("empty", { "README.md": "nothing", "index.js.map": "{}" });
    expect(() => measureBundle("empty", dir)).toThrow(/no bundle/);
  });
});

describe("measureBundles and the report", () => {
  it("reads one folder per worker and renders a table, largest first", () => {
    const dir = join(root, "report");
    mkdirSync(join(dir, "small"), { recursive: true });
    mkdirSync(join(dir, "large"), { recursive: true });
    writeFileSync(join(dir, "small", "index.js"), "export {};\n");
    writeFileSync(join(dir, "large", "index.js"), code);
    const sizes = measureBundles(dir);
    expect(sizes.map((size) => size.worker)).toEqual(["large", "small"]);
    const markdown = bundleSizeMarkdown(sizes);
    const rows = markdown.split("\n").filter((line) => line.startsWith("| large") || line.startsWith("| small"));
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(/^\| large \| 1 \| [\d.]+ KiB \| [\d.]+ KiB \| [\d.]+ % \| [\d.]+ % \|$/);
    expect(markdown).toContain("## Worker bundle sizes");
    expect(markdown).toContain("2 workers");
    expect(markdown).not.toContain("Over the Paid plan");
    expect(anyOverLimit(sizes)).toBe(false);
  });

  it("names the workers over the limit, and says so to its caller", () => {
    const sizes = [
      { worker: "huge", files: 1, bytes: PAID_PLAN_LIMIT_BYTES * 3, gzipBytes: PAID_PLAN_LIMIT_BYTES + 1 },
    ];
    expect(bundleSizeMarkdown(sizes)).toContain("**Over the Paid plan's limit:** huge");
    expect(anyOverLimit(sizes)).toBe(true);
  });

  it("fails when there is no worker folder at all", () => {
    const dir = join(root, "nothing");
    mkdirSync(dir, { recursive: true });
    expect(() => measureBundles(dir)).toThrow(/no worker bundles/);
  });
});
