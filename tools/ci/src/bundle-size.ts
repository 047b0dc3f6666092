import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { gzipSync } from "node:zlib";

/**
 * Cloudflare's limit on a worker's compressed upload on the Workers Paid plan (the Free plan's is 3 MiB);
 * static assets served through the ASSETS binding do not count.
 * https://developers.cloudflare.com/workers/platform/limits/#worker-size
 */
export const PAID_PLAN_LIMIT_BYTES = 10 * 1024 * 1024;
export const FREE_PLAN_LIMIT_BYTES = 3 * 1024 * 1024;

export interface BundleSize {
  readonly worker: string;
  readonly files: number;
  readonly bytes: number;
  readonly gzipBytes: number;
}

/**
 * `--outdir` also writes source maps (never uploaded) and a README.md saying what the folder is: neither
 * is part of the worker.
 */
function uploadedFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((path) => !path.endsWith(".map") && path !== "README.md" && statSync(join(dir, path)).isFile())
    .sort();
}

/**
 * Measures one worker's `wrangler deploy --dry-run --outdir <dir>` output: every module it would upload,
 * raw and gzip-compressed. Each file is compressed on its own, so a worker of many modules (the site) reads
 * somewhat larger than the single figure wrangler prints: the report errs on the safe side of the limit.
 */
export function measureBundle(worker: string, dir: string): BundleSize {
  const files = uploadedFiles(dir);
  if (files.length === 0) throw new Error(`${worker}: no bundle in ${dir}`);
  let bytes = 0;
  let gzipBytes = 0;
  for (const file of files) {
    const content = readFileSync(join(dir, file));
    bytes += content.byteLength;
    gzipBytes += gzipSync(content, { level: 9 }).byteLength;
  }
  return { worker, files: files.length, bytes, gzipBytes };
}

/** One sub-folder per worker (what `npm run deploy -- --dry-run --outdir <root>` writes). */
export function measureBundles(root: string): BundleSize[] {
  const workers = readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  if (workers.length === 0) throw new Error(`no worker bundles under ${relative(process.cwd(), root) || root}`);
  return workers.map((worker) => measureBundle(worker, join(root, worker)));
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const percent = (bytes: number, limit: number) => `${((bytes / limit) * 100).toFixed(1)} %`;

/** A Markdown table for the job summary ($GITHUB_STEP_SUMMARY), largest compressed bundle first. */
export function bundleSizeMarkdown(sizes: readonly BundleSize[]): string {
  const rows = [...sizes].sort((a, b) => b.gzipBytes - a.gzipBytes);
  const total = rows.reduce((sum, row) => sum + row.gzipBytes, 0);
  const lines = [
    "## Worker bundle sizes",
    "",
    "| Worker | Files | Size | gzip | of 3 MiB (Free) | of 10 MiB (Paid) |",
    "| --- | ---: | ---: | ---: | ---: | ---: |",
    ...rows.map(
      (row) =>
        `| ${row.worker} | ${row.files} | ${kib(row.bytes)} | ${kib(row.gzipBytes)} | ` +
        `${percent(row.gzipBytes, FREE_PLAN_LIMIT_BYTES)} | ${percent(row.gzipBytes, PAID_PLAN_LIMIT_BYTES)} |`,
    ),
    "",
    `${rows.length} workers, ${kib(total)} gzip in all. Static assets (the site's client files) are not counted: ` +
      "Cloudflare serves them outside the worker's size limit.",
  ];
  const over = rows.filter((row) => row.gzipBytes > PAID_PLAN_LIMIT_BYTES);
  if (over.length > 0) lines.push("", `**Over the Paid plan's limit:** ${over.map((row) => row.worker).join(", ")}`);
  return `${lines.join("\n")}\n`;
}

/** Whether any bundle is too large to deploy at all (the report's caller fails the job then). */
export function anyOverLimit(sizes: readonly BundleSize[], limit = PAID_PLAN_LIMIT_BYTES): boolean {
  return sizes.some((size) => size.gzipBytes > limit);
}
