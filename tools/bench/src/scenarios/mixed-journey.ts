import { CLIENT_ADDRESS_HEADER, nextClientAddress } from "../client-addresses.ts";
import { summarizeLatency } from "../latency.ts";
import type { LoadMeasurement } from "../measurements.ts";
import type { Scenario } from "../scenario.ts";
import { buyersAndCourses, call, inBatches } from "./checkout.ts";

/*
 * The platform under a mix of what people do, for docs/scaling.md: journeys start at a steady rate
 * (open loop: one is due every 1/rate s whether or not earlier ones finished) and each browses (the
 * catalog, a search, a course page, its syllabus), signs in, buys a course (the payments sandbox of
 * the bench's stack: a checkout, then its Pay button, which sends the signed webhook through the same
 * handler Stripe's would reach), and studies a course it owns (the lesson list, a lesson, a position
 * written). Every request is timed; each step is a row of the load table with p50/p95/p99, and the
 * requirement is 0 errors over the whole hold.
 */

const NAME = "mixed-journey";
const PASSWORD = "a perfectly fine bench passphrase";
/** Journeys started per second; each sends 10 requests. */
const DEFAULT_RATE = 1;
const HOLD_SECONDS = { full: 300, quick: 20 };

interface Step {
  readonly id: string;
  readonly method: "GET" | "POST";
  readonly path: string;
  readonly expected: number;
}

/** The journey's requests in order, as the load table names them. */
export const JOURNEY_STEPS = [
  { id: "catalog", method: "GET", path: "/api/courses?limit=20", expected: 200 },
  { id: "search", method: "GET", path: "/api/courses?q={word}", expected: 200 },
  { id: "course-page", method: "GET", path: "/api/courses/{id}", expected: 200 },
  { id: "syllabus", method: "GET", path: "/api/courses/{id}/outline", expected: 200 },
  { id: "sign-in", method: "POST", path: "/api/auth/login", expected: 200 },
  { id: "checkout", method: "POST", path: "/api/payments/courses/{id}", expected: 201 },
  { id: "pay", method: "POST", path: "/api/payments/sandbox/checkout/{sessionId}/pay", expected: 303 },
  { id: "lesson-list", method: "GET", path: "/api/courses/{id}/lessons", expected: 200 },
  { id: "lesson", method: "GET", path: "/api/courses/{id}/lessons/{lessonId}", expected: 200 },
  { id: "progress", method: "POST", path: "/api/progress/lessons/{lessonId}", expected: 200 },
] as const satisfies readonly Step[];

type StepId = (typeof JOURNEY_STEPS)[number]["id"];

/** The whole hold at a glance: what the 0-error requirement is judged on. */
export interface MixedJourneyMeasurement {
  readonly kind: "mixed-journey";
  readonly scenario: string;
  readonly journeysPerSecond: number;
  readonly holdSeconds: number;
  readonly journeysStarted: number;
  readonly journeysCompleted: number;
  readonly requests: number;
  /** Transport errors, timeouts, unexpected statuses, and steps never sent because an earlier one failed. */
  readonly errors: number;
  /** Up to five, for the report: which step failed and how. */
  readonly firstErrors: readonly string[];
}

interface Learner {
  readonly email: string;
  /** A course bought and paid for before the hold, its access granted, its lesson viewed once. */
  readonly owned: { readonly courseId: string; readonly lessonId: string };
}

class StepRecorder {
  readonly latencies = new Map<StepId, number[]>();
  readonly statuses = new Map<StepId, Record<string, number>>();
  readonly transportErrors = new Map<StepId, number>();
  readonly firstErrors: string[] = [];
  errors = 0;

  async send(
    step: StepId,
    url: URL,
    init: RequestInit & { token?: string; json?: unknown },
  ): Promise<Response | undefined> {
    const spec = JOURNEY_STEPS.find((s) => s.id === step);
    const headers: Record<string, string> = { [CLIENT_ADDRESS_HEADER]: nextClientAddress() };
    if (init.token) headers.authorization = `Bearer ${init.token}`;
    if (init.json !== undefined) headers["content-type"] = "application/json";
    const sent = performance.now();
    try {
      const response = await fetch(url, {
        method: spec?.method ?? "GET",
        headers,
        redirect: "manual",
        signal: AbortSignal.timeout(10_000),
        ...(init.json !== undefined && { body: JSON.stringify(init.json) }),
      });
      const body = await response.arrayBuffer();
      const latencies = this.latencies.get(step) ?? [];
      latencies.push(performance.now() - sent);
      this.latencies.set(step, latencies);
      const counts = this.statuses.get(step) ?? {};
      counts[response.status] = (counts[response.status] ?? 0) + 1;
      this.statuses.set(step, counts);
      if (response.status !== spec?.expected) {
        this.error(`${step} answered ${response.status}: ${new TextDecoder().decode(body).slice(0, 200)}`);
        return undefined;
      }
      return new Response(response.status === 303 ? null : body, {
        status: response.status,
        headers: response.headers,
      });
    } catch (error) {
      this.transportErrors.set(step, (this.transportErrors.get(step) ?? 0) + 1);
      this.error(`${step} failed: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }

  error(message: string): void {
    this.errors += 1;
    if (this.firstErrors.length < 5) this.firstErrors.push(message);
  }

  rows(rate: number, seconds: number): LoadMeasurement[] {
    return JOURNEY_STEPS.map((step) => {
      const samples = this.latencies.get(step.id) ?? [];
      const statusCounts = this.statuses.get(step.id) ?? {};
      const summary = summarizeLatency(Float64Array.from(samples));
      return {
        kind: "load" as const,
        scenario: NAME,
        id: `${NAME}/${step.id}`,
        route: "gateway" as const,
        variant: `journey step: ${step.id}`,
        method: step.method,
        path: step.path,
        targetRate: rate,
        connections: 0,
        rounds: 1,
        durationSeconds: seconds,
        responses: samples.length,
        requestsPerSecond: samples.length / seconds,
        latencyMs: summary,
        roundP50sMs: [summary.p50],
        expectedStatuses: [step.expected],
        statusCounts,
        transportErrors: this.transportErrors.get(step.id) ?? 0,
        unexpectedStatuses: Object.entries(statusCounts)
          .filter(([status]) => Number(status) !== step.expected)
          .reduce((sum, [, n]) => sum + n, 0),
      };
    });
  }
}

/** Buys `courseId` for the token's holder through the sandbox: the checkout, then its Pay button. */
async function buy(recorder: StepRecorder, baseUrl: string, token: string, courseId: string): Promise<boolean> {
  const checkout = await recorder.send("checkout", new URL(`/api/payments/courses/${courseId}`, baseUrl), { token });
  if (!checkout) return false;
  const { checkoutUrl } = (await checkout.json()) as { checkoutUrl: string };
  // The sandbox's page is on the platform's public origin; the bench's stack answers it on its own port.
  const pay = await recorder.send("pay", new URL(`${new URL(checkoutUrl).pathname}/pay`, baseUrl), {});
  return pay !== undefined;
}

async function signIn(recorder: StepRecorder, baseUrl: string, email: string): Promise<string | undefined> {
  const answer = await recorder.send("sign-in", new URL("/api/auth/login", baseUrl), {
    json: { email, password: PASSWORD },
  });
  return answer ? ((await answer.json()) as { accessToken: string }).accessToken : undefined;
}

/** One journey; a failed step ends it, and the steps it could not send count as errors. */
async function journey(
  recorder: StepRecorder,
  baseUrl: string,
  learner: Learner,
  toBuy: string,
  word: string,
): Promise<boolean> {
  const url = (path: string) => new URL(path, baseUrl);
  const steps: (() => Promise<boolean>)[] = [];
  let token = "";
  steps.push(
    async () => !!(await recorder.send("catalog", url("/api/courses?limit=20"), {})),
    async () => !!(await recorder.send("search", url(`/api/courses?q=${encodeURIComponent(word)}`), {})),
    async () => !!(await recorder.send("course-page", url(`/api/courses/${toBuy}`), {})),
    async () => !!(await recorder.send("syllabus", url(`/api/courses/${toBuy}/outline`), {})),
    async () => !!(token = (await signIn(recorder, baseUrl, learner.email)) ?? ""),
    () => buy(recorder, baseUrl, token, toBuy),
    async () =>
      !!(await recorder.send("lesson-list", url(`/api/courses/${learner.owned.courseId}/lessons`), { token })),
    async () =>
      !!(await recorder.send(
        "lesson",
        url(`/api/courses/${learner.owned.courseId}/lessons/${learner.owned.lessonId}`),
        {
          token,
        },
      )),
    async () =>
      !!(await recorder.send("progress", url(`/api/progress/lessons/${learner.owned.lessonId}`), {
        token,
        json: { event: "position", positionSeconds: 30 },
      })),
  );
  // buy() sends two requests (checkout and pay): steps hold 9 calls for the 10 requests.
  for (let index = 0; index < steps.length; index++) {
    const step = steps[index];
    if (step && !(await step())) {
      const unsent = steps.length - index - 1;
      if (unsent > 0) recorder.error(`${unsent} later step(s) of the journey not sent`);
      recorder.errors += Math.max(0, unsent - 1);
      return false;
    }
  }
  return true;
}

/** Registers learners; each buys and pays for one course before the hold and waits for its access. */
async function prepareLearners(
  baseUrl: string,
  courses: readonly string[],
  count: number,
  say: (message: string) => void,
): Promise<Learner[]> {
  const run = crypto.randomUUID().slice(0, 8);
  const setup = new StepRecorder();
  say(`${NAME}: registering ${count} learners, each buying the course they will study …`);
  const learners = await inBatches(
    Array.from({ length: count }, (_, index) => index),
    4,
    async (index): Promise<Learner> => {
      const email = `journey-${run}-${index}@example.com`;
      const registered = await call(baseUrl, "POST", "/api/auth/register", {
        body: { email, password: PASSWORD, name: `Journey learner ${index}` },
      });
      if (registered.status !== 201) throw new Error(`registration answered ${registered.status}`);
      const token = await signIn(setup, baseUrl, email);
      const courseId = courses[index % courses.length] ?? "";
      if (!token || !(await buy(setup, baseUrl, token, courseId))) {
        throw new Error(`a learner could not buy their course: ${setup.firstErrors.join("; ")}`);
      }
      const list = await call<{ lessons: { id: string }[] }>(baseUrl, "GET", `/api/courses/${courseId}/lessons`, {
        token,
      });
      const lessonId = list.body.lessons[0]?.id;
      if (!lessonId) throw new Error("a bench course has no lesson");
      // The purchase grants access through the events pipeline: the first view is refused until it has.
      const deadline = Date.now() + 60_000;
      for (;;) {
        const viewed = await call(baseUrl, "POST", `/api/progress/lessons/${lessonId}`, {
          token,
          body: { event: "viewed" },
        });
        if (viewed.status === 200) break;
        if (Date.now() > deadline) throw new Error(`access to a bought course never came (${viewed.status})`);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      return { email, owned: { courseId, lessonId } };
    },
  );
  return learners;
}

export const mixedJourney: Scenario = {
  name: NAME,
  description:
    "Journeys started at a steady rate (MIXED_JOURNEY_RATE per second, default 1; open loop), each browsing (the " +
    "catalog, a search, a course page, its syllabus), signing in, buying a course through the payments sandbox " +
    "(checkout, then Pay: the signed webhook through the same handler) and studying a course it owns (lesson list, " +
    "a lesson, a position written): 10 requests through the gateway per journey, held for MIXED_JOURNEY_SECONDS " +
    "(default 300; 20 with --quick). p50/p95/p99 per step, and the requirement of 0 errors.",
  async run({ durations, platform, say }) {
    const quick = durations.maxThroughput.secondsPerRound < 5;
    const rate = Number(process.env.MIXED_JOURNEY_RATE ?? DEFAULT_RATE);
    const seconds = Number(process.env.MIXED_JOURNEY_SECONDS ?? (quick ? HOLD_SECONDS.quick : HOLD_SECONDS.full));
    if (!(rate > 0) || !(seconds > 0)) throw new Error("MIXED_JOURNEY_RATE and MIXED_JOURNEY_SECONDS must be positive");
    const baseUrl = await platform.gatewayUrl();
    const total = Math.round(rate * seconds);
    const learnerCount = Math.min(20, Math.max(4, Math.ceil(total / 15)));
    // Every journey buys a (learner, course) pair never bought before: one course per round of learners, and one more.
    const courseCount = Math.max(learnerCount, Math.ceil(total / learnerCount) + 1);
    const { courses } = await buyersAndCourses(baseUrl, { buyers: 0, courses: courseCount }, say);
    const learners = await prepareLearners(baseUrl, courses, learnerCount, say);
    const words = ["bench", "course", "lesson", "only", "benchmarks"];

    say(`${NAME}: ${total} journeys at ${rate}/s for ${seconds} s …`);
    const recorder = new StepRecorder();
    const started = performance.now();
    const running: Promise<boolean>[] = [];
    for (let index = 0; index < total; index++) {
      const dueAt = started + (index * 1000) / rate;
      const wait = dueAt - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const learner = learners[index % learners.length];
      if (!learner) continue;
      // A learner's k-th journey buys the k-th course that is not their own: never twice, never one they hold.
      const round = Math.floor(index / learners.length);
      const toBuy = courses.filter((id) => id !== learner.owned.courseId)[round] ?? "";
      running.push(journey(recorder, baseUrl, learner, toBuy, words[index % words.length] ?? "bench"));
      if (index % Math.max(1, Math.round(rate * 30)) === 0 && index > 0) {
        say(`${NAME}: ${index}/${total} journeys started, ${recorder.errors} errors so far …`);
      }
    }
    const completed = (await Promise.all(running)).filter(Boolean).length;
    const held = (performance.now() - started) / 1000;
    const rows = recorder.rows(rate, held);
    const summary: MixedJourneyMeasurement = {
      kind: "mixed-journey",
      scenario: NAME,
      journeysPerSecond: rate,
      holdSeconds: held,
      journeysStarted: total,
      journeysCompleted: completed,
      requests: rows.reduce((sum, row) => sum + row.responses, 0),
      errors: recorder.errors,
      firstErrors: recorder.firstErrors,
    };
    return [summary, ...rows];
  },
};

export function renderMixedJourney(measurements: readonly MixedJourneyMeasurement[]): string {
  return measurements
    .map((m) =>
      [
        `${m.journeysStarted} journeys at ${m.journeysPerSecond}/s (${(m.journeysPerSecond * JOURNEY_STEPS.length).toFixed(0)} requests/s), ` +
          `held ${m.holdSeconds.toFixed(0)} s: ${m.journeysCompleted} completed, ${m.requests.toLocaleString("en-US")} requests, ` +
          `**${m.errors} errors** (requirement: 0) ${m.errors === 0 ? "✅" : "❌"}.`,
        ...(m.firstErrors.length ? ["", "First errors:", "", ...m.firstErrors.map((e) => `- ${e}`)] : []),
        "",
        "Each step's p50/p95/p99 are the `mixed-journey` rows of the load table (latency from when the step was sent; " +
          "a journey's steps run one after another, journeys overlap).",
      ].join("\n"),
    )
    .join("\n\n");
}
