import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "@platform/dev-stack";
import { versionIdOf } from "../src/wrangler-run.ts";

const run = promisify(execFile);
const bin = (name: string) => join(REPO_ROOT, "tools", "ci", "bin", name);

describe("npm run deploy / bundle-size / deploy:smoke usage", () => {
  it.each([
    ["deploy.ts", ["--dry-run"], /--dry-run and --outdir <dir> go together/],
    ["deploy.ts", ["--outdir", "x"], /--dry-run and --outdir <dir> go together/],
    ["bundle-size.ts", [], /usage: npm run bundle-size/],
    ["smoke.ts", [""], /usage: npm run deploy:smoke/],
  ])("%s %j refuses, exit 2, before touching anything", async (script, args, message) => {
    const error = await run(process.execPath, [bin(script), ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, SMOKE_URL: "" },
    }).catch((failure: { code: number; stderr: string }) => failure);
    expect(error).toMatchObject({ code: 2, stderr: expect.stringMatching(message) });
  });
});

describe("versionIdOf", () => {
  it("reads the version id wrangler deploy prints (what a rollback names), or nothing", () => {
    const output =
      "Uploaded platform-auth (3.2 sec)\nDeployed platform-auth triggers (0.3 sec)\n" +
      "Current Version ID: 5f7e2a3c-1b2d-4e5f-8a9b-0c1d2e3f4a5b\n";
    expect(versionIdOf(output)).toBe("5f7e2a3c-1b2d-4e5f-8a9b-0c1d2e3f4a5b");
    expect(versionIdOf("--dry-run: exiting now.")).toBeUndefined();
  });
});
