import { chmodSync, mkdirSync, readFileSync, readdirSync, readlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { REPO_ROOT } from "./paths.ts";

// What `wrangler dev` puts around the workers that production does not have, and how to step
// around it for a production-shaped measurement (the bench's `*-production-shaped` scenarios):
//
// 1. Every console.log line of every worker: workerd writes it to its stdout as a structured
//    log, Miniflare (in wrangler's Node process) reads, parses and prints it, and the dev stack
//    reads that and writes it to a log file. `discardingWorkerdLauncher` gives Miniflare a
//    workerd whose stdout goes to /dev/null (Miniflare's documented `MINIFLARE_WORKERD_PATH`),
//    so the lines are written and dropped by the kernel, as cheaply as a log a platform collects.
// 2. wrangler's proxy worker: every request first enters a second workerd, passes a Durable
//    Object and is fetched again over loopback into the workerd that runs the workers (with a
//    request log line sent to Node). `userWorkerdEntryUrl` finds that inner workerd's own entry
//    socket, so requests can go straight to it (Miniflare's entry worker, then the worker, as
//    on Cloudflare's edge, where a request enters the worker's isolate directly).

const WORKERD_BINARY = (() => {
  // The workerd that Miniflare itself would start (wrangler → miniflare → workerd).
  const fromRepo = createRequire(join(REPO_ROOT, "package.json"));
  const fromMiniflare = createRequire(fromRepo.resolve("miniflare"));
  return (fromMiniflare("workerd") as { default: string }).default;
})();

/**
 * Writes a launcher that runs the real workerd with its stdout sent to /dev/null (stderr kept:
 * start-up failures still reach Miniflare) and returns its path, for `MINIFLARE_WORKERD_PATH`.
 */
export function discardingWorkerdLauncher(folder: string): string {
  mkdirSync(folder, { recursive: true });
  const path = join(folder, "workerd-stdout-discarded.sh");
  // `exec` keeps the process id and every inherited descriptor (Miniflare's control pipe is fd 3).
  writeFileSync(path, `#!/bin/sh\nexec '${WORKERD_BINARY.replaceAll("'", "'\\''")}' "$@" >/dev/null\n`);
  chmodSync(path, 0o755);
  return path;
}

/** The command line of a process, or "" once it has gone. */
function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ");
  } catch {
    return "";
  }
}

function processGroupOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]);
  } catch {
    return undefined;
  }
}

/** TCP ports a process listens on, from its socket descriptors and its network namespace's tables. */
function listeningPorts(pid: number): number[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match?.[1]) inodes.add(match[1]);
    } catch {
      // closed while we looked
    }
  }
  const ports: number[] = [];
  for (const table of ["tcp", "tcp6"]) {
    let text: string;
    try {
      text = readFileSync(`/proc/${pid}/net/${table}`, "utf8");
    } catch {
      continue;
    }
    for (const row of text.split("\n").slice(1)) {
      const fields = row.trim().split(/\s+/);
      // local_address is "HEXIP:HEXPORT"; state 0A is LISTEN; field 9 is the socket's inode.
      const [local, state, inode] = [fields[1], fields[3], fields[9]];
      if (state === "0A" && local && inode && inodes.has(inode))
        ports.push(Number.parseInt(local.split(":")[1] ?? "", 16));
    }
  }
  return ports;
}

/**
 * The entry socket of the workerd that runs the workers of a `wrangler dev` (process group
 * `wranglerPid`), found among that workerd's listening ports by `accepts`, which asks a port a
 * question only the workers answer (its inspector and debug ports answer something else).
 * Wrangler starts that workerd with an entry on port 0 and keeps the port to itself.
 */
export async function userWorkerdEntryUrl(
  wranglerPid: number,
  accepts: (baseUrl: string) => Promise<boolean>,
): Promise<string> {
  const workerds = readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => processGroupOf(pid) === wranglerPid)
    .filter((pid) => {
      const command = commandLine(pid);
      return /\bworkerd serve\b/.test(command) && command.includes("--socket-addr=entry=127.0.0.1:0");
    });
  for (const pid of workerds) {
    for (const port of listeningPorts(pid)) {
      const url = `http://127.0.0.1:${port}`;
      if (await accepts(url).catch(() => false)) return url;
    }
  }
  throw new Error(
    `No entry socket of the workers' workerd was found in wrangler dev's process group ${wranglerPid} ` +
      `(workerd processes with an entry on port 0: ${workerds.join(", ") || "none"}).`,
  );
}
