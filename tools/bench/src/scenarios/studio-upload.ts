import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { DEMO_PASSWORD, DEMO_USERS } from "@platform/dev-stack";
import { nextClientAddress } from "../client-addresses.ts";
import type { Scenario } from "../scenario.ts";
import { CHROMIUM_NEEDS_NO_SANDBOX, requireChromium } from "../site/chromium.ts";

const NAME = "studio-upload";
const MiB = 1024 * 1024;
/** The file: 20 parts of 10 MiB. */
const FILE_BYTES = 200 * MiB;
/** What the studio's uploader keeps in flight (site/src/scripts/studio/upload-transfer.ts PARTS_IN_FLIGHT). */
const PARTS_IN_FLIGHT = 4;
const PART_PATH = /\/parts\/\d+$/;
const INSTRUCTOR = DEMO_USERS[1];
/** Both clients, in the order the first round takes them (the next reverses it). */
const PATHS = ["studio", "api"] as const;

/**
 * One way of uploading the same 200 MiB file: the studio's uploader in Chromium (browser → gateway →
 * site → gateway → courses → R2), or the same parts sent straight to the API from Node (gateway →
 * courses → R2), both with the same number of parts in flight.
 */
export interface StudioUploadMeasurement {
  readonly kind: "studio-upload";
  readonly scenario: string;
  readonly path: "studio" | "api";
  readonly route: string;
  /** Parts the client keeps in flight. */
  readonly partsInFlight: number;
  /** The most part requests that were seen open at once (resource timing in the browser; the client's count from Node). */
  readonly observedInFlight: number;
  readonly fileBytes: number;
  readonly partBytes: number;
  readonly parts: number;
  readonly rounds: number;
  /** First part request started → last part answered, summed over rounds. */
  readonly transferSeconds: number;
  readonly mibPerSecond: number;
  readonly roundMibPerSecond: readonly number[];
  /** Last part answered → the upload completed and attached (the studio: until its page said so). */
  readonly completeMsMedian: number;
  /** The bytes the lesson serves afterwards hash like the source, every round. */
  readonly verified: boolean;
}

interface Upload {
  id: string;
  partSizeBytes: number;
  partCount: number;
  parts: { partNumber: number; sizeBytes: number; url: string }[];
}

async function call<T>(baseUrl: string, method: string, path: string, token?: string, body?: unknown): Promise<T> {
  const response = await fetch(new URL(path, baseUrl), {
    method,
    headers: {
      "cf-connecting-ip": nextClientAddress(),
      ...(token && { authorization: `Bearer ${token}` }),
      ...(body !== undefined && { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 300)}`);
  return (text ? JSON.parse(text) : {}) as T;
}

/** A draft course of the demo instructor's with one video lesson, made for this run (the demo course stays as it is). */
async function benchCourse(baseUrl: string, token: string): Promise<{ courseId: string; lessonId: string }> {
  const course = await call<{ id: string }>(baseUrl, "POST", "/api/courses", token, {
    title: "Upload bench",
    slug: `upload-bench-${Date.now()}`,
    summary: "Made by the studio-upload bench scenario.",
    language: "en",
    price: null,
  });
  const lesson = await call<{ id: string }>(baseUrl, "POST", `/api/courses/${course.id}/lessons`, token, {
    title: "The uploaded video",
    kind: "video",
  });
  return { courseId: course.id, lessonId: lesson.id };
}

/** SHA-256 of what the lesson serves now (through the link the lesson read signs for its author). */
async function servedHash(baseUrl: string, token: string, courseId: string, lessonId: string): Promise<string> {
  const lesson = await call<{ mediaUrl: string | null }>(
    baseUrl,
    "GET",
    `/api/courses/${courseId}/lessons/${lessonId}`,
    token,
  );
  if (!lesson.mediaUrl) return "";
  const response = await fetch(new URL(lesson.mediaUrl, baseUrl), {
    headers: { "cf-connecting-ip": nextClientAddress() },
  });
  const hash = createHash("sha256");
  for await (const chunk of response.body ?? []) hash.update(chunk as Uint8Array);
  return hash.digest("hex");
}

interface Round {
  readonly seconds: number;
  readonly completeMs: number;
  readonly observedInFlight: number;
  readonly partBytes: number;
  readonly parts: number;
  readonly verified: boolean;
}

/** The most intervals open at once. */
function mostAtOnce(intervals: readonly { start: number; end: number }[]): number {
  const edges = intervals.flatMap(({ start, end }) => [
    { at: start, step: 1 },
    { at: end, step: -1 },
  ]);
  edges.sort((a, b) => a.at - b.at || a.step - b.step);
  let open = 0;
  let most = 0;
  for (const { step } of edges) {
    open += step;
    most = Math.max(most, open);
  }
  return most;
}

/** The studio's uploader: signed in through the site's form, the file chosen on the course's media page. */
async function throughStudio(
  browser: Browser,
  baseUrl: string,
  target: { courseId: string; lessonId: string },
  file: { path: string; sha256: string },
  token: string,
): Promise<Round> {
  const context = await browser.newContext({ extraHTTPHeaders: { "cf-connecting-ip": nextClientAddress() } });
  try {
    const page = await context.newPage();
    const mediaPath = `/studio/uploads/${target.courseId}`;
    await page.goto(new URL(`/signin?returnTo=${encodeURIComponent(mediaPath)}`, baseUrl).href);
    const form = page.locator("form[data-form=sign-in]");
    await form.locator("input[name=email]").fill(INSTRUCTOR.email);
    await form.locator("input[name=password]").fill(DEMO_PASSWORD);
    await form.locator("button[type=submit]").click();
    await page.waitForURL(new URL(mediaPath, baseUrl).href);
    const selector = `[data-media-upload][data-purpose=video][data-lesson-id="${target.lessonId}"]`;
    const widget = page.locator(selector);
    await widget.locator("[data-upload-input]").setInputFiles(file.path);
    await page.waitForFunction(
      (root) => ["done", "failed"].includes(document.querySelector<HTMLElement>(root)?.dataset.state ?? ""),
      selector,
      { timeout: 600_000, polling: 100 },
    );
    if ((await widget.getAttribute("data-state")) !== "done") {
      throw new Error(`The studio upload failed: ${await widget.locator("[data-upload-error]").textContent()}`);
    }
    const doneAt = await page.evaluate(() => performance.now());
    // The page's own timing of every part request (XMLHttpRequest entries), free of DevTools' overhead.
    const parts = await page.evaluate((pattern) => {
      const partPath = new RegExp(pattern);
      return performance
        .getEntriesByType("resource")
        .filter((entry) => partPath.test(new URL(entry.name).pathname))
        .map((entry) => ({ start: entry.startTime, end: (entry as PerformanceResourceTiming).responseEnd }));
    }, PART_PATH.source);
    const first = Math.min(...parts.map((part) => part.start));
    const last = Math.max(...parts.map((part) => part.end));
    const verified = (await servedHash(baseUrl, token, target.courseId, target.lessonId)) === file.sha256;
    return {
      seconds: (last - first) / 1000,
      completeMs: doneAt - last,
      observedInFlight: mostAtOnce(parts),
      partBytes: 10 * MiB,
      parts: parts.length,
      verified,
    };
  } finally {
    await context.close();
  }
}

/** The same file straight to the API's part route from Node, the same number of parts at once. */
async function throughApi(
  baseUrl: string,
  target: { courseId: string; lessonId: string },
  file: { bytes: Uint8Array<ArrayBuffer>; sha256: string },
  token: string,
): Promise<Round> {
  const upload = await call<Upload>(baseUrl, "POST", `/api/courses/${target.courseId}/uploads`, token, {
    fileName: "bench.mp4",
    contentType: "video/mp4",
    sizeBytes: file.bytes.length,
  });
  const queue = [...upload.parts];
  const intervals: { start: number; end: number }[] = [];
  const sender = async () => {
    for (let part = queue.shift(); part; part = queue.shift()) {
      const offset = (part.partNumber - 1) * upload.partSizeBytes;
      const start = performance.now();
      const response = await fetch(new URL(part.url, baseUrl), {
        method: "PUT",
        headers: {
          authorization: `Bearer ${token}`,
          "content-type": "application/octet-stream",
          "cf-connecting-ip": nextClientAddress(),
        },
        body: file.bytes.subarray(offset, offset + part.sizeBytes),
      });
      await response.text();
      intervals.push({ start, end: performance.now() });
      if (!response.ok) throw new Error(`part ${part.partNumber} answered ${response.status}`);
    }
  };
  await Promise.all(Array.from({ length: PARTS_IN_FLIGHT }, sender));
  const last = Math.max(...intervals.map((interval) => interval.end));
  const first = Math.min(...intervals.map((interval) => interval.start));
  await call(baseUrl, "POST", `/api/courses/${target.courseId}/uploads/${upload.id}/complete`, token, {
    lessonId: target.lessonId,
  });
  const completeMs = performance.now() - last;
  const verified = (await servedHash(baseUrl, token, target.courseId, target.lessonId)) === file.sha256;
  return {
    seconds: (last - first) / 1000,
    completeMs,
    observedInFlight: mostAtOnce(intervals),
    partBytes: upload.partSizeBytes,
    parts: upload.partCount,
    verified,
  };
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

const ROUTES = {
  studio: "browser → gateway → site PUT /studio/uploads/…/parts/{n} → gateway → courses → R2",
  api: "Node → gateway PUT /api/courses/…/parts/{n} → courses → R2",
} as const;

export const studioUpload: Scenario = {
  name: NAME,
  description:
    `A ${FILE_BYTES / MiB} MiB video uploaded by the demo instructor through the studio's uploader in Debian's ` +
    `Chromium (the course media page; ${PARTS_IN_FLIGHT} parts in flight, each streamed by the site to the API), ` +
    "against the same file sent to the API's part route straight from Node with as many parts in flight; rounds " +
    "alternate. MiB/s from the first part request to the last part answered; each upload is attached to a lesson " +
    "and the bytes the lesson serves are hashed against the source.",
  async run({ platform, durations, say }) {
    requireChromium();
    const baseUrl = await platform.gatewayUrl();
    const login = await call<{ accessToken: string }>(baseUrl, "POST", "/api/auth/login", undefined, {
      email: INSTRUCTOR.email,
      password: DEMO_PASSWORD,
    });
    const token = login.accessToken;
    const target = await benchCourse(baseUrl, token);
    const folder = mkdtempSync(join(tmpdir(), "bench-studio-upload-"));
    const { chromium } = await import("playwright-core");
    const browser = await chromium.launch({
      executablePath: requireChromium(),
      headless: true,
      chromiumSandbox: !CHROMIUM_NEEDS_NO_SANDBOX,
    });
    const rounds = new Map<"studio" | "api", Round[]>([
      ["studio", []],
      ["api", []],
    ]);
    try {
      for (let round = 0; round < durations.maxThroughput.rounds; round += 1) {
        for (const path of round % 2 === 0 ? PATHS : [...PATHS].reverse()) {
          // New bytes each time: no layer can serve a part it has seen.
          const bytes = randomBytes(FILE_BYTES) as Uint8Array<ArrayBuffer>;
          const sha256 = createHash("sha256").update(bytes).digest("hex");
          say(`${NAME}: round ${round + 1}/${durations.maxThroughput.rounds}, through the ${path} …`);
          if (path === "studio") {
            const filePath = join(folder, `bench-${round}.mp4`);
            writeFileSync(filePath, bytes);
            rounds.get(path)?.push(await throughStudio(browser, baseUrl, target, { path: filePath, sha256 }, token));
            rmSync(filePath, { force: true });
          } else {
            rounds.get(path)?.push(await throughApi(baseUrl, target, { bytes, sha256 }, token));
          }
        }
      }
    } finally {
      await browser.close();
      rmSync(folder, { recursive: true, force: true });
    }

    const measurements = PATHS.map((path): StudioUploadMeasurement => {
      const runs = rounds.get(path) ?? [];
      const transferSeconds = runs.reduce((sum, run) => sum + run.seconds, 0);
      return {
        kind: "studio-upload",
        scenario: NAME,
        path,
        route: ROUTES[path],
        partsInFlight: PARTS_IN_FLIGHT,
        observedInFlight: Math.max(0, ...runs.map((run) => run.observedInFlight)),
        fileBytes: FILE_BYTES,
        partBytes: runs[0]?.partBytes ?? 0,
        parts: runs[0]?.parts ?? 0,
        rounds: runs.length,
        transferSeconds,
        mibPerSecond: (FILE_BYTES * runs.length) / MiB / transferSeconds,
        roundMibPerSecond: runs.map((run) => FILE_BYTES / MiB / run.seconds),
        completeMsMedian: median(runs.map((run) => run.completeMs)),
        verified: runs.length > 0 && runs.every((run) => run.verified),
      };
    });
    for (const m of measurements) {
      say(
        `${NAME}: ${m.path}: ${m.mibPerSecond.toFixed(1)} MiB/s, ${m.observedInFlight} parts at once, verified: ${m.verified}`,
      );
    }
    return measurements;
  },
};

/** The report's table for these rows (for report.ts): the studio's rate beside the API's, and their ratio. */
export function renderStudioUpload(rows: readonly StudioUploadMeasurement[]): string {
  const header = [
    "client",
    "route",
    "parts in flight (seen)",
    "file",
    "parts",
    "rounds",
    "MiB/s",
    "per round MiB/s",
    "complete p50 ms",
    "bytes served equal",
  ];
  const line = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
  const studio = rows.find((row) => row.path === "studio");
  const api = rows.find((row) => row.path === "api");
  const ratio =
    studio && api && api.mibPerSecond > 0
      ? `The studio uploads at **${((studio.mibPerSecond / api.mibPerSecond) * 100).toFixed(0)} %** of the API's rate.`
      : "";
  return [
    line(header),
    line(header.map(() => "---")),
    ...rows.map((m) =>
      line([
        m.path === "studio" ? "studio (Chromium)" : "API (Node)",
        m.route,
        `${m.partsInFlight} (${m.observedInFlight})`,
        `${(m.fileBytes / MiB).toFixed(0)} MiB`,
        `${m.parts} × ${(m.partBytes / MiB).toFixed(0)} MiB`,
        String(m.rounds),
        m.mibPerSecond.toFixed(1),
        m.roundMibPerSecond.map((value) => value.toFixed(1)).join(", "),
        m.completeMsMedian.toFixed(0),
        m.verified ? "yes" : "❌ no",
      ]),
    ),
    "",
    ratio,
    "",
    "Both clients upload the same kind of file (fresh random bytes each round) into one lesson of a course made for " +
      "the run, with the same number of parts in flight, rounds alternating. The studio's figure is the page's own " +
      "resource timing (first part request started → last part answered); the API's is Node's clock around its " +
      "fetches. The studio's parts take one hop more (the site worker streams each to the API through the gateway's " +
      "service binding) and are read from disk by Chromium, as an author's are. Under `wrangler dev` every worker " +
      "runs in one process on this machine, so both figures are local, not what R2 across a network would show.",
  ].join("\n");
}
