// `npm run deploy`: `wrangler deploy` of every worker, callees before callers (src/workers.ts).
//   npm run deploy -- --list                           print the order and stop
//   npm run deploy -- --dry-run --outdir .data/bundles bundle each worker into <outdir>/<worker>, upload nothing
// Needs CLOUDFLARE_API_TOKEN and CLOUDFLARE_ACCOUNT_ID for a real deploy (docs/deploying.md#cicd).
import { appendFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { REPO_ROOT } from "@platform/dev-stack";
import { repositoryWorkers } from "../src/workers.ts";
import { runWrangler, versionIdOf } from "../src/wrangler-run.ts";

const { values } = parseArgs({
  options: {
    "dry-run": { type: "boolean", default: false },
    outdir: { type: "string" },
    list: { type: "boolean", default: false },
  },
});
if (values["dry-run"] !== Boolean(values.outdir)) {
  console.error("--dry-run and --outdir <dir> go together (the bundle-size report reads the bundles).");
  process.exit(2);
}

const workers = await repositoryWorkers((message) => console.log(message));
if (values.list) {
  for (const worker of workers) console.log(`${worker.name}\t${relative(REPO_ROOT, worker.config)}`);
  process.exit(0);
}

const deployed: { name: string; versionId: string }[] = [];
for (const worker of workers) {
  const args = ["deploy", "-c", relative(REPO_ROOT, worker.config)];
  if (values.outdir) args.push("--dry-run", "--outdir", join(resolve(values.outdir), worker.name));
  console.log(`\n▶ wrangler ${args.join(" ")}`);
  const { code, output } = await runWrangler(args);
  if (code !== 0) {
    const done = deployed.map((worker) => worker.name).join(", ") || "none";
    console.error(
      `\n✖ ${worker.name} failed (exit ${code}). Already deployed: ${done}. See docs/deploying.md#rolling-back.`,
    );
    process.exit(1);
  }
  deployed.push({ name: worker.name, versionId: versionIdOf(output) ?? "(dry run)" });
}

const summary = [
  values["dry-run"] ? "## Deploy (dry run)" : "## Deployed",
  "",
  "| Worker | Version |",
  "| --- | --- |",
  ...deployed.map((worker) => `| ${worker.name} | ${worker.versionId} |`),
  "",
].join("\n");
console.log(`\n${summary}`);
// In GitHub Actions the table lands on the run's page: the version ids are what a rollback names.
if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, `${summary}\n`);
