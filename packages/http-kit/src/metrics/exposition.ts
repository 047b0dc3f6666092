import { METRIC_CATALOGUE } from "./catalogue.ts";
import type { FamilySnapshot } from "./registry.ts";

const escapeLabelValue = (value: string) =>
  value.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n");

function labelText(labels: Readonly<Record<string, string>>): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return "";
  return `{${entries.map(([name, value]) => `${name}="${escapeLabelValue(value)}"`).join(",")}}`;
}

/**
 * Prometheus's text exposition format (0.0.4) of snapshots from several workers: each family's
 * HELP and TYPE once (Prometheus refuses a second TYPE line for a name), then every worker's
 * samples of it, which their `service` label keeps apart.
 */
export function renderExposition(snapshots: readonly (readonly FamilySnapshot[])[]): string {
  const byName = new Map<string, FamilySnapshot["samples"][number][]>();
  for (const families of snapshots) {
    for (const family of families) {
      const samples = byName.get(family.name) ?? [];
      samples.push(...family.samples);
      byName.set(family.name, samples);
    }
  }
  const lines: string[] = [];
  for (const [name, samples] of [...byName].sort(([a], [b]) => a.localeCompare(b))) {
    const definition = METRIC_CATALOGUE[name as keyof typeof METRIC_CATALOGUE];
    if (!definition) continue;
    lines.push(`# HELP ${name} ${definition.help}`, `# TYPE ${name} ${definition.kind}`);
    for (const sample of samples) {
      const value = Number.isFinite(sample.value) ? String(sample.value) : "NaN";
      lines.push(
        `${name}${"suffix" in sample && sample.suffix ? sample.suffix : ""}${labelText(sample.labels)} ${value}`,
      );
    }
  }
  return `${lines.join("\n")}\n`;
}

/** The exposition format's content type, as Prometheus asks for it. */
export const EXPOSITION_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
