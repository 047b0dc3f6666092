import { ProblemError, type FieldError } from "./problem.ts";

/**
 * What PostgreSQL cannot store: a NUL character (refused in `text`, and as `\u0000` in `jsonb`) and
 * a lone UTF-16 surrogate (not a Unicode character: UTF-8 cannot encode it, so the driver sends
 * U+FFFD in its place in a `text` column, and `jsonb` refuses its `\ud800` escape). Such a string
 * failed its query with a 500 or was silently altered; refused at the boundary it is a 400.
 *
 * With the `u` flag a well-formed surrogate pair is one code point, outside this class: only a
 * lone surrogate (or NUL) matches.
 */
// eslint-disable-next-line no-control-regex -- NUL is exactly what this looks for.
const unstorable = /[\u0000\uD800-\uDFFF]/u;
const unstorableEverywhere = new RegExp(unstorable.source, "gu");

/** Whether PostgreSQL can store this string as `text` or inside `jsonb`. */
export function isStorableText(text: string): boolean {
  return !unstorable.test(text);
}

/** A name as it may be shown in an error: U+FFFD in place of what could not be stored (or logged). */
function shown(name: string): string {
  return name.replace(unstorableEverywhere, "\uFFFD");
}

function why(text: string): string {
  return text.includes("\u0000")
    ? "contains a NUL character (U+0000), which cannot be stored"
    : "contains a lone surrogate (not valid Unicode), which cannot be stored";
}

/**
 * Every string in a value (deeply: object keys, property values and array items) that PostgreSQL
 * could not store, as field errors whose paths start with `target` (`json`, `query`, `param` …),
 * in the dotted form zod's field errors use. Walked with a stack, not recursion: a passthrough body
 * may nest deeper than the call stack allows.
 */
export function unstorableTextErrors(value: unknown, target: string): FieldError[] {
  const errors: FieldError[] = [];
  const stack: { value: unknown; path: string }[] = [{ value, path: target }];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const { value: current, path } = next;
    if (typeof current === "string") {
      if (!isStorableText(current)) errors.push({ path, message: why(current) });
    } else if (Array.isArray(current)) {
      // Pushed last first, so that the fields are reported in the order the request has them.
      for (let index = current.length - 1; index >= 0; index -= 1) {
        stack.push({ value: current[index], path: `${path}.${index}` });
      }
    } else if (current !== null && typeof current === "object" && !(current instanceof Date)) {
      const entries = Object.entries(current).map(([key, item]) => ({ key, item, at: `${path}.${shown(key)}` }));
      for (const { key, at } of entries) {
        if (!isStorableText(key)) errors.push({ path: at, message: `its name ${why(key)}` });
      }
      for (const { item, at } of entries.reverse()) stack.push({ value: item, path: at });
    }
  }
  return errors;
}

/** Throws 400 `validation-failed` naming every unstorable string in a value decoded outside zod's validation. */
export function requireStorableText(value: unknown, target: string): void {
  const errors = unstorableTextErrors(value, target);
  if (errors.length > 0) {
    throw new ProblemError("validation-failed", { detail: "One or more fields are invalid.", errors });
  }
}
