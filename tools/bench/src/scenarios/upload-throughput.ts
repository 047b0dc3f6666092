import { randomBytes } from "node:crypto";
import { DEMO_COURSES, DEMO_PASSWORD, DEMO_USERS } from "@platform/dev-stack";
import type { Scenario } from "../scenario.ts";

const NAME = "upload-throughput";
const MiB = 1024 * 1024;
/** Per recorded upload: 20 parts of 10 MiB, enough for the transfer to dominate start and completion. */
const FILE_BYTES = 200 * MiB;
const WARM_UP_BYTES = 20 * MiB;
/** One part at a time (the simplest client) and four at once (what a browser uploader would do). */
const PARALLELISM = [1, 4] as const;
/** The bench's own address: a signed-in caller is rate-limited by user id anyway (600 a minute). */
const CLIENT_ADDRESS = "198.19.255.2";

/** Proxied multipart uploads, gateway → courses worker → local R2, timed per file. */
export interface UploadThroughputMeasurement {
  readonly kind: "upload-throughput";
  readonly scenario: string;
  readonly path: string;
  /** Parts in flight at once. */
  readonly parallelism: number;
  readonly fileBytes: number;
  readonly partBytes: number;
  readonly parts: number;
  readonly rounds: number;
  /** First part sent → last part stored, summed over rounds. */
  readonly transferSeconds: number;
  /** fileBytes × rounds ÷ transferSeconds, in MiB/s. */
  readonly mibPerSecond: number;
  readonly roundMibPerSecond: readonly number[];
  /** POST …/complete, median over rounds: R2 assembling the parts. */
  readonly completeMsMedian: number;
  /** Ranges read back (first, across a part boundary, last) equalled the source in every round. */
  readonly verified: boolean;
}

interface UploadView {
  id: string;
  mediaUrl: string;
  partSizeBytes: number;
  partCount: number;
  parts: { partNumber: number; sizeBytes: number; url: string }[];
}

async function call<T>(
  baseUrl: string,
  method: string,
  path: string,
  token: string | undefined,
  body?: unknown,
): Promise<T> {
  const response = await fetch(new URL(path, baseUrl), {
    method,
    headers: {
      "cf-connecting-ip": CLIENT_ADDRESS,
      ...(token && { authorization: `Bearer ${token}` }),
      ...(body !== undefined && { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 300)}`);
  return (text ? JSON.parse(text) : {}) as T;
}

async function instructorToken(baseUrl: string): Promise<string> {
  const instructor = DEMO_USERS[1];
  const login = await call<{ accessToken: string }>(baseUrl, "POST", "/api/auth/login", undefined, {
    email: instructor.email,
    password: DEMO_PASSWORD,
  });
  return login.accessToken;
}

/** Sends every part, `parallelism` at a time; answers the seconds from the first byte sent to the last part stored. */
async function sendParts(
  baseUrl: string,
  token: string,
  upload: UploadView,
  source: Uint8Array<ArrayBuffer>,
  parallelism: number,
) {
  const queue = [...upload.parts];
  const started = performance.now();
  const sender = async () => {
    for (let part = queue.shift(); part; part = queue.shift()) {
      const offset = (part.partNumber - 1) * upload.partSizeBytes;
      const response = await fetch(new URL(part.url, baseUrl), {
        method: "PUT",
        headers: {
          authorization: `Bearer ${token}`,
          "content-type": "application/octet-stream",
          "cf-connecting-ip": CLIENT_ADDRESS,
        },
        body: source.subarray(offset, offset + part.sizeBytes),
      });
      await response.text();
      if (!response.ok) throw new Error(`part ${part.partNumber} answered ${response.status}`);
    }
  };
  await Promise.all(Array.from({ length: parallelism }, sender));
  return (performance.now() - started) / 1000;
}

/** Reads back the first bytes, a span across the first part boundary and the last bytes. */
async function readsBackEqual(baseUrl: string, token: string, upload: UploadView, source: Uint8Array<ArrayBuffer>) {
  const boundary = upload.partSizeBytes;
  const spans = [
    [0, 4095],
    [boundary - 2048, boundary + 2047],
    [source.length - 4096, source.length - 1],
  ] as const;
  for (const [first, last] of spans) {
    const response = await fetch(new URL(upload.mediaUrl, baseUrl), {
      headers: {
        authorization: `Bearer ${token}`,
        range: `bytes=${first}-${last}`,
        "cf-connecting-ip": CLIENT_ADDRESS,
      },
    });
    const bytes = Buffer.from(await response.arrayBuffer());
    if (response.status !== 206 || !bytes.equals(Buffer.from(source.subarray(first, last + 1)))) return false;
  }
  return true;
}

async function uploadOnce(baseUrl: string, token: string, source: Uint8Array<ArrayBuffer>, parallelism: number) {
  const courseId = DEMO_COURSES[0]?.id;
  if (!courseId) throw new Error("The demo data has no course to upload into.");
  const upload = await call<UploadView>(baseUrl, "POST", `/api/courses/${courseId}/uploads`, token, {
    fileName: `bench-${source.length}.mp4`,
    contentType: "video/mp4",
    sizeBytes: source.length,
  });
  const seconds = await sendParts(baseUrl, token, upload, source, parallelism);
  const completing = performance.now();
  await call(baseUrl, "POST", `/api/courses/${courseId}/uploads/${upload.id}/complete`, token, {});
  const completeMs = performance.now() - completing;
  return { upload, seconds, completeMs, verified: await readsBackEqual(baseUrl, token, upload, source) };
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

export const uploadThroughput: Scenario = {
  name: NAME,
  description:
    `A ${FILE_BYTES / MiB} MiB video uploaded as the demo instructor through the proxied multipart route (10 MiB parts, ` +
    "PUT …/parts/{n} through the gateway into the courses worker and local R2, then completed), one part at a time " +
    "and four at once, rounds alternating; MiB/s from the first part sent to the last stored. Each upload is read " +
    "back in three ranges and compared with the source.",
  async run({ platform, durations, say }) {
    const baseUrl = await platform.gatewayUrl();
    const token = await instructorToken(baseUrl);
    const rounds = durations.maxThroughput.rounds;
    say(`${NAME}: warming up with ${WARM_UP_BYTES / MiB} MiB …`);
    await uploadOnce(baseUrl, token, randomBytes(WARM_UP_BYTES) as Uint8Array<ArrayBuffer>, 2);

    const results = new Map<number, Awaited<ReturnType<typeof uploadOnce>>[]>(PARALLELISM.map((p) => [p, []]));
    for (let round = 0; round < rounds; round += 1) {
      const order = round % 2 === 0 ? PARALLELISM : [...PARALLELISM].reverse();
      for (const parallelism of order) {
        say(`${NAME}: round ${round + 1}/${rounds}, ${parallelism} part(s) at a time …`);
        const source = randomBytes(FILE_BYTES) as Uint8Array<ArrayBuffer>;
        results.get(parallelism)?.push(await uploadOnce(baseUrl, token, source, parallelism));
      }
    }

    const measurements = PARALLELISM.map((parallelism): UploadThroughputMeasurement => {
      const runs = results.get(parallelism) ?? [];
      const transferSeconds = runs.reduce((sum, run) => sum + run.seconds, 0);
      const first = runs[0]?.upload;
      return {
        kind: "upload-throughput",
        scenario: NAME,
        path: "PUT /api/courses/{id}/uploads/{uploadId}/parts/{n}",
        parallelism,
        fileBytes: FILE_BYTES,
        partBytes: first?.partSizeBytes ?? 0,
        parts: first?.partCount ?? 0,
        rounds: runs.length,
        transferSeconds,
        mibPerSecond: (FILE_BYTES * runs.length) / MiB / transferSeconds,
        roundMibPerSecond: runs.map((run) => FILE_BYTES / MiB / run.seconds),
        completeMsMedian: median(runs.map((run) => run.completeMs)),
        verified: runs.every((run) => run.verified),
      };
    });
    for (const m of measurements) {
      say(
        `${NAME}: ${m.parallelism} at a time: ${m.mibPerSecond.toFixed(1)} MiB/s, complete ${m.completeMsMedian.toFixed(0)} ms, verified: ${m.verified}`,
      );
    }
    return measurements;
  },
};

/** The report's table for these rows (for report.ts). */
export function renderUploadThroughput(rows: readonly UploadThroughputMeasurement[]): string {
  const header = [
    "request",
    "parts at once",
    "file",
    "parts",
    "rounds",
    "MiB/s",
    "per round MiB/s",
    "complete p50 ms",
    "bytes read back equal",
  ];
  const line = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
  return [
    line(header),
    line(header.map(() => "---")),
    ...rows.map((m) =>
      line([
        m.path,
        String(m.parallelism),
        `${(m.fileBytes / MiB).toFixed(0)} MiB`,
        `${m.parts} × ${(m.partBytes / MiB).toFixed(0)} MiB`,
        String(m.rounds),
        m.mibPerSecond.toFixed(1),
        m.roundMibPerSecond.map((value) => value.toFixed(1)).join(", "),
        m.completeMsMedian.toFixed(0),
        m.verified ? "yes" : "❌ no",
      ]),
    ),
  ].join("\n");
}
