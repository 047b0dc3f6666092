import { setTimeout as sleep } from "node:timers/promises";
import { assertSameAnswer, captureResponse } from "../body-equality.ts";
import type { RawLoadResult } from "../load-types.ts";
import { runRound, sentIn, summarize, warmUp, type LoadShape, type Target } from "../load.ts";
import type { LoadMeasurement, Measurement } from "../measurements.ts";
import { cpuBetween, sampleCpu, type CpuGroup } from "../proc-cpu.ts";
import type { CpuComparison, CpuPerRequestMeasurement, CpuRow } from "../read-path-figures.ts";
import { learnerTokens, readPathData } from "../read-path-seed.ts";
import { CONNECTIONS, type Scenario } from "../scenario.ts";
import { scenarioName, type StackMode } from "../stack-mode.ts";

/**
 * The platform answers `durations.cpuRequests` of each request; the peer PEER_FACTOR times as
 * many, since it is far quicker and /proc counts in 10 ms ticks per process.
 */
const PEER_FACTOR = 5;
/** After a load, before the second sample: work a request left behind (closing its connections) is counted too. */
const SETTLE_MS = 500;
/**
 * How long each server's processes are watched doing nothing first. wrangler's Node process
 * (file watching, the dev registry) and PostgreSQL's background workers use CPU without any
 * request; at 50 req/s that would add about a millisecond per request that no request caused.
 * Their idle rate times each load's wall time is subtracted.
 */
const IDLE_MS = 3_000;

/** CPU seconds per second each group uses with no request in flight. */
async function idleRates(groups: readonly CpuGroup[]): Promise<Map<string, number>> {
  const before = sampleCpu(groups);
  const started = performance.now();
  await sleep(IDLE_MS);
  const used = cpuBetween(before, sampleCpu(groups));
  const seconds = (performance.now() - started) / 1000;
  return new Map([...used].map(([group, cpu]) => [group, cpu / seconds]));
}

interface Server {
  readonly label: string;
  readonly baseUrl: string;
  readonly groups: readonly CpuGroup[];
  readonly requests: number;
}

interface Request {
  readonly key: string;
  readonly label: string;
  readonly path: string;
  readonly pathVariants?: readonly string[];
  readonly headerVariants?: readonly Readonly<Record<string, string>>[];
}

export function readPathCpuScenario(mode: StackMode): Scenario {
  const name = scenarioName("read-path-cpu", mode);
  return {
    name,
    description:
      `CPU per uncached read, from /proc, per process group (workerd, wrangler's Node, the bench's process with the Neon ` +
      `proxy, PostgreSQL with every backend, exited ones included)${mode === "production-shaped" ? ", on the production-shaped stack" : ""}, ` +
      "beside a plain Node peer (Hono on @hono/node-server, a pg pool of 10) serving the same signed-in lesson list " +
      "and never-read course page from the same rows, byte-identical (checked before measuring; the scenario fails " +
      "if they differ). Flat out, a fixed number of requests each, load generated in a process of its own. " +
      "Reports req/s and CPU per request, platform ÷ peer.",
    async run({ platform, durations, say }) {
      const total = durations.cpuRequests;
      const rounds = durations.maxThroughput.rounds;
      const view = await platform.stack(mode);
      const data = await readPathData(view.databaseUrl, view.gatewayUrl, say);
      const tokens = await learnerTokens(view.gatewayUrl);
      const peer = await platform.nodePeer(mode);
      // One more than measured: the first copy is read by the equality check.
      const [checkedCopy, ...copies] = await data.freshCourses(total + 1);
      if (!checkedCopy) throw new Error("No never-read course for the CPU scenario.");

      const lessonsPath = `/api/courses/${data.courseId}/lessons`;
      const learner = { authorization: `Bearer ${tokens[0]}` };
      for (const [what, path, headers] of [
        [`GET ${lessonsPath}, signed in`, lessonsPath, learner],
        [`GET /api/courses/${checkedCopy}, a never-read course`, `/api/courses/${checkedCopy}`, {}],
      ] as const) {
        const fromPlatform = await captureResponse("platform", new URL(path, view.gatewayUrl).href, headers);
        const fromPeer = await captureResponse("Node peer", new URL(path, peer.url).href, headers);
        assertSameAnswer(`${what}: the Node peer must serve the platform's bytes`, fromPlatform, fromPeer);
      }
      say(`${name}: the Node peer's answers are byte-identical to the platform's.`);

      const requests: Request[] = [
        {
          key: "lessons-signed-in",
          label: "lesson list, signed in (uncached)",
          path: lessonsPath,
          headerVariants: tokens.map((token) => ({ authorization: `Bearer ${token}` })),
        },
        {
          key: "page-never-read",
          label: "course page, a never-read course per request",
          path: "/api/courses/{copy}",
          pathVariants: copies.map((id) => `/api/courses/${id}`),
        },
      ];
      const servers: Server[] = [
        {
          label: mode === "dev-server" ? "platform (dev server)" : "platform (production-shaped)",
          baseUrl: view.gatewayUrl,
          groups: view.cpuGroups(),
          requests: total,
        },
        { label: "Node peer", baseUrl: peer.url, groups: peer.cpuGroups(), requests: total * PEER_FACTOR },
      ];
      const targetOf = (server: Server, request: Request): Target => ({
        id: `${name}/${server === servers[0] ? "platform" : "peer"}/${request.key}`,
        route: server === servers[0] ? "gateway" : "direct",
        baseUrl: server.baseUrl,
        path: request.path,
        variant: `${server.label}: ${request.label}`,
        expectedStatuses: [200],
        observeHeader: "x-cache",
        ...(request.pathVariants ? { pathVariants: request.pathVariants } : {}),
        ...(request.headerVariants ? { headerVariants: request.headerVariants } : {}),
      });

      say(`${name}: warming up …`);
      for (const server of servers) await warmUp(targetOf(server, requests[0] as Request), durations.warmUpSeconds);
      // The peer keeps no cache, so it may warm up on the copies; the platform must not read them before measuring.
      await warmUp(
        { ...targetOf(servers[1] as Server, requests[1] as Request), path: `/api/courses/${checkedCopy}` },
        1,
      );

      const idle = new Map<string, Map<string, number>>();
      for (const server of servers) idle.set(server.label, await idleRates(server.groups));
      const raw = new Map<string, { rounds: RawLoadResult[]; cpu: Map<string, number> }>();
      for (let round = 0; round < rounds; round++) {
        const order = round % 2 === 0 ? servers : [...servers].reverse();
        for (const request of requests) {
          for (const server of order) {
            // The platform's address is looked up again each round: wrangler dev moves the production-shaped
            // entry to another port when it restarts workerd after a source change.
            const baseUrl = server === servers[0] ? (await platform.stack(mode)).gatewayUrl : server.baseUrl;
            const target = { ...targetOf(server, request), baseUrl };
            const entry = raw.get(target.id) ?? { rounds: [], cpu: new Map<string, number>() };
            raw.set(target.id, entry);
            const shape: LoadShape = {
              rate: null,
              connections: CONNECTIONS,
              schedule: durations.maxThroughput,
              amount: Math.ceil(server.requests / rounds),
              isolation: "process",
            };
            say(`${target.id}: round ${round + 1}/${rounds}, ${shape.amount} requests …`);
            const before = sampleCpu(server.groups);
            const started = performance.now();
            const result = await runRound(
              target,
              shape,
              entry.rounds.reduce((sum, r) => sum + sentIn(r), 0),
            );
            await sleep(SETTLE_MS);
            const used = cpuBetween(before, sampleCpu(server.groups));
            const wall = (performance.now() - started) / 1000;
            entry.rounds.push(result);
            for (const [group, seconds] of used) {
              const background = (idle.get(server.label)?.get(group) ?? 0) * wall;
              entry.cpu.set(group, (entry.cpu.get(group) ?? 0) + Math.max(0, seconds - background));
            }
          }
        }
      }

      const loads: LoadMeasurement[] = [];
      const rows: CpuRow[] = [];
      for (const request of requests) {
        for (const server of servers) {
          const target = targetOf(server, request);
          const entry = raw.get(target.id);
          if (!entry) continue;
          const load = summarize(
            name,
            target,
            { rate: null, connections: CONNECTIONS, schedule: durations.maxThroughput },
            entry.rounds,
          );
          loads.push(load);
          const perRequest = (seconds: number) => (load.responses > 0 ? (seconds * 1000) / load.responses : Number.NaN);
          const cpuMsPerRequest = Object.fromEntries(
            [...entry.cpu].map(([group, seconds]) => [group, perRequest(seconds)]),
          );
          rows.push({
            server: server.label,
            request: request.label,
            path: request.path,
            requests: load.responses,
            requestsPerSecond: load.requestsPerSecond,
            latencyMs: { p50: load.latencyMs.p50, p99: load.latencyMs.p99 },
            cpuMsPerRequest,
            totalCpuMsPerRequest: perRequest([...entry.cpu.values()].reduce((sum, s) => sum + s, 0)),
            errors: load.transportErrors + load.unexpectedStatuses,
            cache: load.observedHeader?.counts ?? {},
          });
        }
      }
      const comparisons: CpuComparison[] = requests.map((request) => {
        const [ofPlatform, ofPeer] = servers.map((server) =>
          rows.find((row) => row.server === server.label && row.request === request.label),
        );
        return {
          request: request.label,
          throughputRatio: (ofPlatform?.requestsPerSecond ?? Number.NaN) / (ofPeer?.requestsPerSecond ?? Number.NaN),
          cpuRatio: (ofPlatform?.totalCpuMsPerRequest ?? Number.NaN) / (ofPeer?.totalCpuMsPerRequest ?? Number.NaN),
        };
      });
      const idleCpuPerSecond = Object.fromEntries(
        [...idle].map(([server, rates]) => [server, Object.fromEntries(rates)]),
      );
      const cpu: CpuPerRequestMeasurement = {
        kind: "cpu-per-request",
        scenario: name,
        mode,
        rows,
        comparisons,
        idleCpuPerSecond,
      };
      const measurements: Measurement[] = [...loads, cpu];
      return measurements;
    },
  };
}
