import type { ChildProcess } from "node:child_process";

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}

export function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function exited(child: ChildProcess): Promise<void> {
  if (hasExited(child)) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

/** SIGTERM to the whole group (a clean broker shutdown), then SIGKILL if it lingers past the grace period. */
export async function stopGroup(child: ChildProcess, graceMs: number): Promise<void> {
  const pid = child.pid;
  if (pid === undefined || hasExited(child)) return;
  signalGroup(pid, "SIGTERM");
  const timer = setTimeout(() => signalGroup(pid, "SIGKILL"), graceMs);
  await exited(child);
  clearTimeout(timer);
  signalGroup(pid, "SIGKILL"); // nothing of the group may outlive it
}

/** SIGKILL to the whole group: a crash, as far as the broker can tell. */
export async function killGroup(child: ChildProcess): Promise<void> {
  const pid = child.pid;
  if (pid === undefined || hasExited(child)) return;
  signalGroup(pid, "SIGKILL");
  await exited(child);
}

/** For exit handlers, which cannot wait. */
export function killGroupNow(child: ChildProcess): void {
  if (child.pid !== undefined && !hasExited(child)) signalGroup(child.pid, "SIGKILL");
}
