// `npm run bundle-size -- <outdir>`: a Markdown table of each worker's bundle (raw and gzip) from
// `npm run deploy -- --dry-run --outdir <outdir>`. Printed, and appended to $GITHUB_STEP_SUMMARY in CI.
// Exits 1 when a bundle is over the Workers Paid plan's 10 MiB compressed limit (it could not deploy).
import { appendFileSync } from "node:fs";
import { anyOverLimit, bundleSizeMarkdown, measureBundles } from "../src/bundle-size.ts";

const [outdir] = process.argv.slice(2);
if (!outdir) {
  console.error("usage: npm run bundle-size -- <outdir of npm run deploy -- --dry-run --outdir>");
  process.exit(2);
}
const sizes = measureBundles(outdir);
const markdown = bundleSizeMarkdown(sizes);
console.log(markdown);
if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, `${markdown}\n`);
process.exit(anyOverLimit(sizes) ? 1 : 0);
