import WebSocket from "ws";
import type { LiveServerFrame, LiveTicketResponse } from "@platform/contracts";
import { DEMO_COURSES } from "@platform/dev-stack";
import { CLIENT_ADDRESS_HEADER, nextClientAddress } from "../client-addresses.ts";
import { summarizeLatency, type LatencySummary } from "../latency.ts";
import type { Scenario } from "../scenario.ts";

const NAME = "live-fanout";

/**
 * One learner's sockets at one count: for each progress write, the time from sending the write to the message
 * arriving on the first and on the last of the learner's sockets.
 */
export interface LiveFanoutLevel {
  readonly sockets: number;
  readonly writes: number;
  /** Sending the write → its 200: the progress worker's own work, which the message waits for (it is pushed after). */
  readonly toAnswerMs: LatencySummary;
  readonly toFirstMs: LatencySummary;
  readonly toLastMs: LatencySummary;
  /** Arrivals that did not come within the wait (socket × write). */
  readonly missing: number;
}

export interface LiveFanoutMeasurement {
  readonly kind: "live-fanout";
  readonly scenario: string;
  readonly levels: readonly LiveFanoutLevel[];
  /** The p50 write → last socket at the smallest count: what "latency doubles" is measured against. */
  readonly baselineP50Ms: number;
  /** The first count whose p50 write → last socket is at least twice the baseline; null: not within the ramp. */
  readonly doubledAtSockets: number | null;
}

/** A lesson any signed-in learner may record progress on (a preview), with no duration to bound the position. */
const PREVIEW_LESSON = DEMO_COURSES.flatMap((course) => course.lessons).find((lesson) => lesson.isPreview);
/** How long one write's message may take to reach every socket before its stragglers count as missing. */
const ARRIVAL_WAIT_MS = 10_000;
/** Sockets opened at once while ramping up: each needs a ticket and an upgrade through the gateway. */
const OPEN_BATCH = 20;

interface Learner {
  readonly token: string;
}

async function signUp(baseUrl: string): Promise<Learner> {
  const email = `live-bench-${Date.now().toString(36)}-${crypto.randomUUID().slice(0, 8)}@example.com`;
  const password = "a perfectly fine passphrase";
  const post = (path: string, body: unknown) =>
    fetch(new URL(path, baseUrl), {
      method: "POST",
      headers: { "content-type": "application/json", [CLIENT_ADDRESS_HEADER]: nextClientAddress() },
      body: JSON.stringify(body),
    });
  const registered = await post("/api/auth/register", { email, password, name: "Live bench" });
  if (registered.status !== 201) throw new Error(`register answered ${registered.status}`);
  const login = await post("/api/auth/login", { email, password });
  if (login.status !== 200) throw new Error(`login answered ${login.status}`);
  return { token: ((await login.json()) as { accessToken: string }).accessToken };
}

/** Which write's message each socket is waiting for, and when it arrived. */
class Arrivals {
  private expected = -1;
  private times: number[] = [];
  private done: (() => void) | undefined;
  private target = 0;

  expect(position: number, sockets: number): Promise<void> {
    this.expected = position;
    this.times = [];
    this.target = sockets;
    return new Promise((resolve) => {
      this.done = resolve;
    });
  }

  arrived(frame: LiveServerFrame): void {
    if (frame.kind !== "message" || frame.message.positionSeconds !== this.expected) return;
    this.times.push(performance.now());
    if (this.times.length === this.target) this.done?.();
  }

  taken(): number[] {
    return [...this.times];
  }
}

async function openSocket(baseUrl: string, learner: Learner, arrivals: Arrivals): Promise<WebSocket> {
  const ticket = await fetch(new URL("/api/live/ticket", baseUrl), {
    method: "POST",
    headers: { authorization: `Bearer ${learner.token}`, [CLIENT_ADDRESS_HEADER]: nextClientAddress() },
  });
  if (ticket.status !== 200) throw new Error(`ticket answered ${ticket.status}`);
  const { url } = (await ticket.json()) as LiveTicketResponse;
  const socket = new WebSocket(`${baseUrl.replace(/^http/, "ws")}${url}`, {
    headers: { [CLIENT_ADDRESS_HEADER]: nextClientAddress() },
  });
  socket.on("message", (data) => arrivals.arrived(JSON.parse(data.toString()) as LiveServerFrame));
  await new Promise<void>((resolve, reject) => {
    socket.once("open", () => resolve());
    socket.once("error", reject);
    socket.once("unexpected-response", (_request, response) =>
      reject(new Error(`upgrade answered ${response.statusCode}`)),
    );
  });
  return socket;
}

async function writePosition(baseUrl: string, learner: Learner, positionSeconds: number): Promise<void> {
  const response = await fetch(new URL(`/api/progress/lessons/${PREVIEW_LESSON?.id}`, baseUrl), {
    method: "POST",
    headers: {
      authorization: `Bearer ${learner.token}`,
      "content-type": "application/json",
      [CLIENT_ADDRESS_HEADER]: nextClientAddress(),
    },
    body: JSON.stringify({ event: "position", positionSeconds }),
  });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`progress write answered ${response.status}`);
}

/** Writes one at a time, each waited for on every socket: latency, not throughput. */
async function measureLevel(
  baseUrl: string,
  learner: Learner,
  arrivals: Arrivals,
  sockets: number,
  writes: number,
  nextPosition: () => number,
): Promise<LiveFanoutLevel> {
  const toAnswer: number[] = [];
  const toFirst: number[] = [];
  const toLast: number[] = [];
  let missing = 0;
  for (let i = 0; i < writes; i += 1) {
    const position = nextPosition();
    const allArrived = arrivals.expect(position, sockets);
    const started = performance.now();
    await writePosition(baseUrl, learner, position);
    toAnswer.push(performance.now() - started);
    await Promise.race([allArrived, new Promise((resolve) => setTimeout(resolve, ARRIVAL_WAIT_MS))]);
    const times = arrivals.taken();
    missing += sockets - times.length;
    if (times.length === 0) continue;
    toFirst.push(Math.min(...times) - started);
    if (times.length === sockets) toLast.push(Math.max(...times) - started);
  }
  return {
    sockets,
    writes,
    toAnswerMs: summarizeLatency(Float64Array.from(toAnswer)),
    toFirstMs: summarizeLatency(Float64Array.from(toFirst)),
    toLastMs: summarizeLatency(Float64Array.from(toLast)),
    missing,
  };
}

/**
 * The ramp. All sockets belong to one learner, so they share one LiveHub: the counts say how far one object
 * goes. The gateway limits a signed-in caller to 600 API requests a minute (tickets and writes both count), so
 * the ramp tops out at 300 sockets.
 */
const RAMP = { full: [2, 10, 25, 50, 100, 200, 300], quick: [2, 10, 100] } as const;

export const liveFanout: Scenario = {
  name: NAME,
  description:
    "One learner's sockets through the gateway's WebSocket upgrade, all on that learner's LiveHub; a progress write " +
    "(POST /api/progress/lessons/{id}, a position on a preview lesson) one at a time, and the time from sending it " +
    `to its message on the first and on the last socket, at ${RAMP.full.join(", ")} sockets: write → the other ` +
    "socket (2), a broadcast to 100, and the count at which write → last socket doubles.",
  async run({ platform, durations, say }) {
    if (!PREVIEW_LESSON) throw new Error("The demo data has no preview lesson to write progress on.");
    const baseUrl = await platform.gatewayUrl();
    const quick = durations.fixedRate.rounds === 1;
    const ramp = quick ? RAMP.quick : RAMP.full;
    const writes = quick ? 5 : 15;
    const learner = await signUp(baseUrl);
    const arrivals = new Arrivals();
    const sockets: WebSocket[] = [];
    let position = 0;
    const nextPosition = () => ++position;
    const levels: LiveFanoutLevel[] = [];
    try {
      // Unrecorded: the first write creates the learner's progress row and wakes the hub.
      sockets.push(await openSocket(baseUrl, learner, arrivals));
      await measureLevel(baseUrl, learner, arrivals, sockets.length, 2, nextPosition);
      for (const count of ramp) {
        while (sockets.length < count) {
          const batch = Math.min(OPEN_BATCH, count - sockets.length);
          sockets.push(
            ...(await Promise.all(Array.from({ length: batch }, () => openSocket(baseUrl, learner, arrivals)))),
          );
        }
        const level = await measureLevel(baseUrl, learner, arrivals, count, writes, nextPosition);
        levels.push(level);
        say(
          `${NAME}: ${count} sockets: write → 200 p50 ${level.toAnswerMs.p50.toFixed(1)} ms, → first p50 ${level.toFirstMs.p50.toFixed(1)} ms, ` +
            `→ last p50 ${level.toLastMs.p50.toFixed(1)} ms, p95 ${level.toLastMs.p95.toFixed(1)} ms` +
            (level.missing ? `, ${level.missing} missing` : ""),
        );
      }
    } finally {
      for (const socket of sockets) socket.terminate();
    }
    const baselineP50Ms = levels[0]?.toLastMs.p50 ?? Number.NaN;
    const doubled = levels.find((level) => level.toLastMs.p50 >= 2 * baselineP50Ms);
    const measurement: LiveFanoutMeasurement = {
      kind: "live-fanout",
      scenario: NAME,
      levels,
      baselineP50Ms,
      doubledAtSockets: doubled?.sockets ?? null,
    };
    return [measurement];
  },
};

export function renderLiveFanout(rows: readonly LiveFanoutMeasurement[]): string {
  const fmt = (s: LatencySummary) => `p50 ${s.p50.toFixed(1)} ms, p95 ${s.p95.toFixed(1)} ms`;
  return [
    "| scenario | sockets (one learner) | writes | write → its 200 | write → first socket | write → last socket | missing |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...rows.flatMap((m) =>
      m.levels.map(
        (level) =>
          `| ${m.scenario} | ${level.sockets} | ${level.writes} | ${fmt(level.toAnswerMs)} | ${fmt(level.toFirstMs)} | ${fmt(level.toLastMs)} | ${level.missing} |`,
      ),
    ),
    "",
    ...rows.map((m) =>
      m.doubledAtSockets === null
        ? `${m.scenario}: write → last socket stayed under twice its ${m.baselineP50Ms.toFixed(1)} ms baseline (p50) up to ${m.levels.at(-1)?.sockets ?? 0} sockets.`
        : `${m.scenario}: write → last socket doubled its ${m.baselineP50Ms.toFixed(1)} ms baseline (p50) at ${m.doubledAtSockets} sockets.`,
    ),
  ].join("\n");
}
