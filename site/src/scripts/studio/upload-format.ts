/**
 * Sizes, rates and durations in the page's language (`<html lang>`), and the interface's text
 * templates (`{name}` placeholders) filled in.
 */
const locale = () => document.documentElement.lang || "en";

export function fill(template: string, values: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

const UNITS = [
  { unit: "gigabyte", bytes: 1e9 },
  { unit: "megabyte", bytes: 1e6 },
  { unit: "kilobyte", bytes: 1e3 },
] as const;

/**
 * Bytes in decimal units (MB = 1,000,000 bytes), as file managers show them; in the unit that suits
 * `scale` (so "0 MB of 44.1 MB" rather than "0 byte of 44.1 MB").
 */
export function formatBytes(bytes: number, scale = bytes): string {
  const { unit, bytes: size } = UNITS.find((entry) => scale >= entry.bytes) ?? { unit: "byte", bytes: 1 };
  return new Intl.NumberFormat(locale(), {
    style: "unit",
    unit,
    // CLDR's short byte is "byte" whatever the count; the long form says "32 bytes".
    unitDisplay: size === 1 ? "long" : "short",
    maximumFractionDigits: size === 1 ? 0 : 1,
  }).format(bytes / size);
}

export function formatPercent(fraction: number): string {
  return new Intl.NumberFormat(locale(), { style: "percent", maximumFractionDigits: 0 }).format(
    Math.min(1, Math.max(0, fraction)),
  );
}

/** `1 hr 5 min`, `3 min 20 sec`, `12 sec`: the two largest units. */
export function formatDuration(seconds: number): string {
  const total = Math.max(1, Math.round(seconds));
  const parts = [
    { unit: "hour", value: Math.floor(total / 3600) },
    { unit: "minute", value: Math.floor((total % 3600) / 60) },
    { unit: "second", value: total % 60 },
  ];
  const first = parts.findIndex((part) => part.value > 0);
  return parts
    .slice(first, first + 2)
    .filter((part) => part.value > 0)
    .map((part) => new Intl.NumberFormat(locale(), { style: "unit", unit: part.unit }).format(part.value))
    .join(" ");
}
