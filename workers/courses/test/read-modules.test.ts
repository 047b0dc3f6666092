import { readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * Markdown is rendered when it is written, never when it is read: the modules that read a course
 * for its page, its outline and the caches do not reach the renderer, not even through another
 * module. (The routes that also write, and so the worker's bundle, do.)
 */
const SRC = resolve(dirname(fileURLToPath(import.meta.url)), "../src");
const RENDERER = join(SRC, "markdown.ts");

/** Relative modules a file imports at run time (type-only imports are erased, so they do not count). */
function runtimeImports(file: string): string[] {
  const source = readFileSync(file, "utf8");
  const specifiers = [...source.matchAll(/^(?:import|export)\s+(?!type\s)[^;]*?from\s+"(\.{1,2}\/[^"]+)";/gm)].map(
    (match) => match[1] ?? "",
  );
  return specifiers.map((specifier) => resolve(dirname(file), specifier));
}

/** Every module `entry` loads, itself included. */
function reachable(entry: string): Set<string> {
  const seen = new Set<string>();
  const pending = [entry];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (seen.has(file)) continue;
    seen.add(file);
    pending.push(...runtimeImports(file));
  }
  return seen;
}

const name = (file: string) => relative(SRC, file);

describe("the read path never loads the Markdown renderer", () => {
  it.each([
    "outline.ts",
    "course-page.ts",
    "catalog.ts",
    "syllabus.ts",
    "instructor-name.ts",
    "cache/course-cache.ts",
    "cache/catalog-cache.ts",
    "cache/author-cache.ts",
  ])("%s does not reach markdown.ts", (module) => {
    const loaded = [...reachable(join(SRC, module))].map(name);
    expect(loaded).not.toContain(name(RENDERER));
  });

  it("the check can fail: the write modules do reach it", () => {
    expect([...reachable(join(SRC, "lessons.ts"))].map(name)).toContain("markdown.ts");
    expect([...reachable(join(SRC, "courses.ts"))].map(name)).toContain("markdown.ts");
  });
});
