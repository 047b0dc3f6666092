import { inject } from "vitest";
import { gatewayUrl } from "./api.ts";

/** One series of a scrape: its name (with any `_bucket`/`_sum`/`_count` suffix), labels and value. */
export interface ScrapedSample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Parses Prometheus's text format strictly enough that a malformed line fails the test that reads it. */
export function parseExposition(text: string): ScrapedSample[] {
  const samples: ScrapedSample[] = [];
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const match = SAMPLE.exec(line);
    if (!match) throw new Error(`not a sample line: ${line}`);
    const [, name = "", labelText = "", value = ""] = match;
    const labels = Object.fromEntries(
      [...labelText.matchAll(LABEL)].map(([, key = "", raw = ""]) => [key, raw.replace(/\\(.)/g, "$1")]),
    );
    samples.push({ name, labels, value: Number(value) });
  }
  return samples;
}

/** The gateway's `/metrics`, read with the stack's scrape token. */
export async function scrapeMetrics(): Promise<ScrapedSample[]> {
  const response = await fetch(`${gatewayUrl}/metrics`, {
    headers: { authorization: `Bearer ${inject("metricsToken")}` },
  });
  if (response.status !== 200) throw new Error(`/metrics answered ${response.status}: ${await response.text()}`);
  return parseExposition(await response.text());
}

/** The sum of every series of `name` whose labels include `labels` (0 when none has been recorded yet). */
export function valueOf(
  samples: readonly ScrapedSample[],
  name: string,
  labels: Readonly<Record<string, string>> = {},
): number {
  return samples
    .filter(
      (sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
    )
    .reduce((total, sample) => total + sample.value, 0);
}
