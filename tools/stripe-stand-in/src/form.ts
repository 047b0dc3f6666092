/**
 * Stripe's API takes `application/x-www-form-urlencoded` bodies with bracketed keys, as the SDK
 * sends them: `line_items[0][price_data][currency]=eur`, `metadata[paymentId]=…`, `expand[]=x`.
 * This turns such a body (or a query string) back into the nested object the SDK started from.
 * Values stay strings, as Stripe receives them; handlers convert what they read.
 */
export type FormValue = string | FormObject | FormValue[];
export interface FormObject {
  [key: string]: FormValue;
}

function keyPath(key: string): string[] {
  const head = /^[^[]+/.exec(key)?.[0] ?? key;
  const rest = [...key.slice(head.length).matchAll(/\[([^\]]*)\]/g)].map((match) => match[1] ?? "");
  return [head, ...rest];
}

type Container = FormObject | FormValue[];

const read = (container: Container, key: string): FormValue | undefined =>
  Array.isArray(container) ? container[Number(key)] : container[key];

function write(container: Container, key: string, value: FormValue): void {
  if (Array.isArray(container)) container[key === "" ? container.length : Number(key)] = value;
  else container[key] = value;
}

function place(container: Container, path: readonly string[], value: string): void {
  const [key, ...rest] = path;
  if (key === undefined) return;
  if (rest.length === 0) return write(container, key, value);
  // `a[]` appends; a following `[0]` or `[]` makes the child a list, anything else an object.
  const slot = key === "" && Array.isArray(container) ? String(container.length) : key;
  let child = read(container, slot);
  if (child === undefined || typeof child === "string") {
    child = rest[0] === "" || /^\d+$/.test(rest[0] ?? "") ? [] : {};
    write(container, slot, child);
  }
  place(child, rest, value);
}

export function parseStripeForm(body: string): FormObject {
  const out: FormObject = {};
  for (const [key, value] of new URLSearchParams(body)) place(out, keyPath(key), value);
  return out;
}

/** Reads one field of a parsed form: `field(params, "line_items", 0, "price_data", "currency")`. */
export function field(params: FormValue | undefined, ...path: Array<string | number>): FormValue | undefined {
  let current: FormValue | undefined = params;
  for (const key of path) {
    if (current === undefined || typeof current === "string") return undefined;
    current = Array.isArray(current) ? current[Number(key)] : current[String(key)];
  }
  return current;
}

export const text = (value: FormValue | undefined): string | undefined =>
  typeof value === "string" ? value : undefined;

export function integer(value: FormValue | undefined): number | undefined {
  const raw = text(value);
  return raw !== undefined && /^-?\d+$/.test(raw) ? Number(raw) : undefined;
}

export function bool(value: FormValue | undefined): boolean | undefined {
  const raw = text(value);
  return raw === "true" ? true : raw === "false" ? false : undefined;
}

/** A `metadata[...]` hash as Stripe stores it: string values only, an empty string removes the key. */
export function metadata(value: FormValue | undefined, current: Record<string, string> = {}): Record<string, string> {
  if (value === undefined || typeof value === "string" || Array.isArray(value)) return { ...current };
  const merged = new Map(Object.entries(current));
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry !== "string") continue;
    if (entry === "") merged.delete(key);
    else merged.set(key, entry);
  }
  return Object.fromEntries(merged);
}
