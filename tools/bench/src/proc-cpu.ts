import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

/** The fields of `/proc/<pid>/stat` that CPU accounting needs (proc(5)); times in clock ticks. */
export interface ProcStat {
  readonly pid: number;
  readonly comm: string;
  readonly state: string;
  readonly ppid: number;
  readonly pgrp: number;
  readonly utime: number;
  readonly stime: number;
  /** CPU of children this process has waited for (reaped), and of their reaped children in turn. */
  readonly cutime: number;
  readonly cstime: number;
}

/**
 * Parses one `/proc/<pid>/stat` line. The command name sits in parentheses and may itself hold
 * spaces and parentheses (a process can name itself anything), so the fields are counted from
 * the last `)`, never split from the start.
 */
export function parseProcStat(line: string): ProcStat {
  const open = line.indexOf("(");
  const close = line.lastIndexOf(")");
  if (open < 0 || close < open) throw new Error(`Not a /proc stat line: ${line.slice(0, 80)}`);
  const rest = line
    .slice(close + 2)
    .trim()
    .split(" ");
  // `rest` starts at field 3 (state); proc(5) numbers fields from 1.
  const field = (n: number) => {
    const value = Number(rest[n - 3]);
    if (!Number.isFinite(value))
      throw new Error(`Field ${n} of a /proc stat line is not a number: ${line.slice(0, 80)}`);
    return value;
  };
  return {
    pid: Number(line.slice(0, open).trim()),
    comm: line.slice(open + 1, close),
    state: rest[0] ?? "?",
    ppid: field(4),
    pgrp: field(5),
    utime: field(14),
    stime: field(15),
    cutime: field(16),
    cstime: field(17),
  };
}

/** One process's stat, or `undefined` when it has gone (processes come and go while we look). */
export function readProcStat(pid: number): ProcStat | undefined {
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT" || (error as NodeJS.ErrnoException).code === "ESRCH")
      return undefined;
    throw error;
  }
}

/** Every process on the machine, as one consistent-enough look at /proc. */
export function listProcesses(): ProcStat[] {
  const processes: ProcStat[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readProcStat(Number(entry));
    if (stat) processes.push(stat);
  }
  return processes;
}

/** The command line of a process, arguments joined by spaces ("" when it has gone). */
export function readCommandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim();
  } catch {
    return "";
  }
}

let ticksPerSecond: number | undefined;

/** USER_HZ, the unit of the stat times: 100 on every Linux seen, asked of the system once anyway. */
export function clockTicksPerSecond(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/**
 * A set of processes whose CPU is summed, chosen afresh at every sample, since processes start
 * and end between samples (PostgreSQL forks a backend per connection, and it exits with it).
 */
export interface CpuGroup {
  readonly label: string;
  /** Which of the machine's processes belong to the group now. */
  members(processes: readonly ProcStat[]): ProcStat[];
  /**
   * Count what members' reaped children used (`cutime`/`cstime`). Yes for a group that holds
   * whole process trees (a backend that exited is counted in its postmaster's `cutime`); no for
   * a single process whose children belong to other groups.
   */
  readonly includeReapedChildren: boolean;
}

/** Every process of a process group (`wrangler dev` runs in its own: wrangler, workerd, esbuild). */
export function processGroup(label: string, pgid: number, filter?: (process: ProcStat) => boolean): CpuGroup {
  return {
    label,
    members: (processes) => processes.filter((p) => p.pgrp === pgid && (filter?.(p) ?? true)),
    includeReapedChildren: true,
  };
}

/** A process and all its descendants (PostgreSQL: the postmaster and every backend it forked). */
export function processTree(label: string, rootPid: number): CpuGroup {
  return {
    label,
    members: (processes) => {
      const children = new Map<number, ProcStat[]>();
      for (const p of processes) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
      const root = processes.find((p) => p.pid === rootPid);
      const found: ProcStat[] = [];
      const queue = root ? [root] : [];
      while (queue.length > 0) {
        const next = queue.shift();
        if (!next) break;
        found.push(next);
        queue.push(...(children.get(next.pid) ?? []));
      }
      return found;
    },
    includeReapedChildren: true,
  };
}

/** One process on its own, without its children (e.g. the bench's own process, whose children are other groups). */
export function singleProcess(label: string, pid: number): CpuGroup {
  return { label, members: (processes) => processes.filter((p) => p.pid === pid), includeReapedChildren: false };
}

/** CPU seconds each group has used so far (since its processes started), by label. */
export type CpuSample = ReadonlyMap<string, number>;

export function sampleCpu(groups: readonly CpuGroup[]): CpuSample {
  const processes = listProcesses();
  const hz = clockTicksPerSecond();
  const sample = new Map<string, number>();
  for (const group of groups) {
    let ticks = 0;
    for (const p of group.members(processes)) {
      ticks += p.utime + p.stime;
      if (group.includeReapedChildren) ticks += p.cutime + p.cstime;
    }
    sample.set(group.label, (sample.get(group.label) ?? 0) + ticks / hz);
  }
  return sample;
}

/** CPU seconds used between two samples, per group. A group whose processes were replaced can go below zero: clamped. */
export function cpuBetween(before: CpuSample, after: CpuSample): Map<string, number> {
  const used = new Map<string, number>();
  for (const [label, seconds] of after) used.set(label, Math.max(0, seconds - (before.get(label) ?? 0)));
  return used;
}
