import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { afterEach, describe, expect, it } from "vitest";
import {
  cpuBetween,
  parseProcStat,
  processGroup,
  processTree,
  readProcStat,
  sampleCpu,
  singleProcess,
} from "../src/proc-cpu.ts";

// Real processes and the kernel's own accounting: each child burns a known amount of CPU,
// measured by itself with process.cpuUsage(), and /proc must show at least that much where the
// grouping says it belongs. No wall-clock time is asserted.

/** Burns BURN_MS of its own CPU (not wall time), says so, then idles until killed. */
const BURNER = `
process.title = process.env.TITLE ?? "bench-burner";
let start;
const used = () => { const u = process.cpuUsage(start); return (u.user + u.system) / 1000; };
// Counted from the moment it starts burning, so nothing it did before the first sample is included.
const burn = () => { start = process.cpuUsage(); while (used() < Number(process.env.BURN_MS)) {} };
if (process.env.WAIT_FOR_GO) {
  process.stdout.write("ready\\n");
  process.stdin.once("data", () => { burn(); process.stdout.write("burnt\\n"); });
} else { burn(); process.stdout.write("burnt\\n"); if (process.env.EXIT) process.exit(0); }
setInterval(() => {}, 60_000);
`;

/** On "go", starts a burner child, waits for it to exit (so it is reaped), then says so and idles. */
const PARENT = `
const { spawn } = require("node:child_process");
process.stdout.write("ready\\n");
process.stdin.once("data", () => {
  const child = spawn(process.execPath, ["-e", process.env.BURNER], {
    env: { ...process.env, BURN_MS: "300", EXIT: "1" }, stdio: "ignore",
  });
  child.once("exit", () => process.stdout.write("reaped\\n"));
});
setInterval(() => {}, 60_000);
`;

const started: ChildProcess[] = [];
const output = new Map<ChildProcess, { text: string; waiters: Array<() => void> }>();

function start(script: string, env: Record<string, string>, options: { detached?: boolean } = {}): ChildProcess {
  const child = spawn(process.execPath, ["-e", script], {
    env: { ...process.env, ...env },
    stdio: ["pipe", "pipe", "inherit"],
    detached: options.detached ?? false,
  });
  started.push(child);
  const seen = { text: "", waiters: [] as Array<() => void> };
  output.set(child, seen);
  child.stdout?.on("data", (chunk: Buffer) => {
    seen.text += chunk.toString("utf8");
    for (const wake of seen.waiters.splice(0)) wake();
  });
  child.once("exit", () => {
    for (const wake of seen.waiters.splice(0)) wake();
  });
  return child;
}

async function line(child: ChildProcess, expected: string): Promise<void> {
  const seen = output.get(child);
  if (!seen) throw new Error("not a child of this test");
  while (
    !seen.text.includes(`${expected}
`)
  ) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the child ended without saying "${expected}" (said: ${JSON.stringify(seen.text)})`);
    }
    await new Promise<void>((resolve) => seen.waiters.push(resolve));
  }
}

afterEach(async () => {
  for (const child of started.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGKILL");
      await once(child, "exit");
    }
  }
});

describe("reading /proc/<pid>/stat", () => {
  it("finds the fields after a command name that holds spaces and parentheses", async () => {
    const child = start(BURNER, { BURN_MS: "1", TITLE: "bx ) (odd" });
    await line(child, "burnt");
    const stat = readProcStat(child.pid ?? -1);
    expect(stat).toMatchObject({ pid: child.pid, comm: "bx ) (odd", ppid: process.pid });
  });

  it("parses the documented field positions", () => {
    // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime …
    const line = "42 (a (b) c) S 7 9 9 0 -1 4194560 10 0 0 0 123 45 6 7 20 0 1 0 100 0 0";
    expect(parseProcStat(line)).toEqual({
      pid: 42,
      comm: "a (b) c",
      state: "S",
      ppid: 7,
      pgrp: 9,
      utime: 123,
      stime: 45,
      cutime: 6,
      cstime: 7,
    });
  });

  it("answers undefined for a process that has gone", async () => {
    const child = start(BURNER, { BURN_MS: "1", EXIT: "1" });
    await once(child, "exit");
    expect(readProcStat(child.pid ?? -1)).toBeUndefined();
  });
});

describe("CPU per group between two samples", () => {
  it("counts what a process burnt between the samples, and only that", async () => {
    const child = start(BURNER, { BURN_MS: "400", WAIT_FOR_GO: "1" });
    await line(child, "ready");
    const group = singleProcess("burner", child.pid ?? -1);
    const before = sampleCpu([group]);
    child.stdin?.write("go\n");
    await line(child, "burnt");
    const used = cpuBetween(before, sampleCpu([group])).get("burner") ?? 0;
    // At least what the child measured itself burning (less the two samples' rounding to 10 ms
    // ticks of utime and stime), and not its start-up, which happened before the first sample.
    expect(used).toBeGreaterThanOrEqual(0.38);
    expect(used).toBeLessThan(1.5);
  });

  it("keeps the CPU of a child that exited and was reaped, through its parent's cutime", async () => {
    const parent = start(PARENT, { BURNER });
    await line(parent, "ready");
    const tree = processTree("tree", parent.pid ?? -1);
    const parentAlone = singleProcess("parent alone", parent.pid ?? -1);
    const before = sampleCpu([tree, parentAlone]);
    parent.stdin?.write("go\n");
    await line(parent, "reaped");
    const used = cpuBetween(before, sampleCpu([tree, parentAlone]));
    // The grandchild is gone from /proc: only the parent's cutime still holds its 300 ms.
    expect(used.get("tree")).toBeGreaterThanOrEqual(0.28);
    expect(used.get("parent alone")).toBeLessThan(0.2);
  });

  it("sums every member of a process group and nothing outside it", async () => {
    const inGroup = start(BURNER, { BURN_MS: "300", WAIT_FOR_GO: "1" }, { detached: true });
    const outside = start(BURNER, { BURN_MS: "300", WAIT_FOR_GO: "1" });
    await Promise.all([line(inGroup, "ready"), line(outside, "ready")]);
    expect(readProcStat(inGroup.pid ?? -1)?.pgrp).toBe(inGroup.pid);
    const group = processGroup("group", inGroup.pid ?? -1);
    const before = sampleCpu([group]);
    inGroup.stdin?.write("go\n");
    outside.stdin?.write("go\n");
    await Promise.all([line(inGroup, "burnt"), line(outside, "burnt")]);
    const used = cpuBetween(before, sampleCpu([group])).get("group") ?? 0;
    expect(used).toBeGreaterThanOrEqual(0.28);
    // Had the other child's 300 ms been counted, this would be 0.6 s or more.
    expect(used).toBeLessThan(0.55);
  });
});
