import { describe, expect, it } from "vitest";
import { parseTotalUpload } from "../src/bundle-size.ts";
import { parseCli } from "../src/cli.ts";
import { summarizeLatency } from "../src/latency.ts";
import { commandLine } from "../src/machine.ts";
import { selectScenarios, SCENARIOS } from "../src/scenarios.ts";

describe("latency summary", () => {
  it("gives nearest-rank percentiles over every sample", () => {
    const samples = Float64Array.from({ length: 100 }, (_, i) => 100 - i); // 100 … 1, unsorted on purpose
    expect(summarizeLatency(samples)).toEqual({ p50: 50, p95: 95, p99: 99, max: 100, mean: 50.5 });
  });

  it("reports no figures rather than zeros when nothing was answered", () => {
    const summary = summarizeLatency(new Float64Array());
    expect(Number.isNaN(summary.p50) && Number.isNaN(summary.p99) && Number.isNaN(summary.mean)).toBe(true);
  });
});

describe("bundle size", () => {
  it("reads wrangler's Total Upload line", () => {
    const output = "⛅️ wrangler 4.164.0\n───\nTotal Upload: 922.07 KiB / gzip: 154.97 KiB\nYour Worker has access to …";
    expect(parseTotalUpload(output)).toEqual({ uploadKiB: 922.07, gzipKiB: 154.97 });
  });

  it("says so when the line is missing, so the bench can measure the files itself", () => {
    expect(parseTotalUpload("--dry-run: exiting now.")).toBeUndefined();
  });
});

describe("command line", () => {
  it("accepts --only repeated or comma-separated", () => {
    expect(parseCli(["--only", "a,b", "--only", "c", "--quick"])).toMatchObject({ only: ["a", "b", "c"], quick: true });
  });

  it("refuses an unknown option", () => {
    expect(() => parseCli(["--fast"])).toThrow();
  });

  it("refuses an unknown scenario, naming the known ones", () => {
    expect(() => selectScenarios(["nope"])).toThrow(/Unknown scenario "nope"\. Known: bundle-size/);
  });

  it("runs every scenario, in registry order, when none is named", () => {
    expect(selectScenarios([]).map((s) => s.name)).toEqual(SCENARIOS.map((s) => s.name));
  });

  it("records the command as typed through npm", () => {
    const before = process.env.npm_lifecycle_event;
    process.env.npm_lifecycle_event = "bench";
    try {
      expect(commandLine(["--only", "gateway-overhead", "--quick"])).toBe(
        "npm run bench -- --only gateway-overhead --quick",
      );
      expect(commandLine([])).toBe("npm run bench");
    } finally {
      if (before === undefined) delete process.env.npm_lifecycle_event;
      else process.env.npm_lifecycle_event = before;
    }
  });
});

describe("scenario registry", () => {
  it("has unique names and a description for each", () => {
    const names = SCENARIOS.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    for (const scenario of SCENARIOS) expect(scenario.description.length).toBeGreaterThan(40);
  });
});
