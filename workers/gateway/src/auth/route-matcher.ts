/**
 * Finds the OpenAPI operation a request is for, from its method and path: a `{param}` segment of a
 * template matches one non-empty path segment, and when several templates match, the most specific
 * wins (compared segment by segment from the left: a literal beats a partly templated segment, which
 * beats a bare `{param}`), as OpenAPI asks of concrete paths over templated ones. HEAD is looked up
 * as GET, which is how the workers' routers answer it.
 */

export interface RouteTemplate {
  /** Upper case, as in the request: GET, POST, … */
  readonly method: string;
  /** An OpenAPI path template: `/api/courses/{id}/lessons`. */
  readonly path: string;
}

/** How specific a segment is: higher wins. */
const LITERAL = 2;
const PARTLY_TEMPLATED = 1;
const PARAMETER = 0;

interface CompiledSegment {
  readonly rank: number;
  matches(segment: string): boolean;
}

interface CompiledRoute<T> {
  readonly route: T;
  readonly segments: readonly CompiledSegment[];
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function compileSegment(template: string): CompiledSegment {
  if (/^\{[^{}/]+\}$/.test(template)) return { rank: PARAMETER, matches: (segment) => segment.length > 0 };
  if (!template.includes("{")) return { rank: LITERAL, matches: (segment) => segment === template };
  // `{name}.json`, `v{major}`: the literal parts must be there, each parameter one or more characters.
  const pattern = new RegExp(
    `^${template
      .split(/\{[^{}/]+\}/)
      .map(escapeRegExp)
      .join("[^/]+")}$`,
  );
  return { rank: PARTLY_TEMPLATED, matches: (segment) => pattern.test(segment) };
}

/** Negative when `a` is more specific than `b`: the first segment where they differ decides. */
function bySpecificity<T>(a: CompiledRoute<T>, b: CompiledRoute<T>): number {
  for (let index = 0; index < a.segments.length; index += 1) {
    const difference = (b.segments[index]?.rank ?? 0) - (a.segments[index]?.rank ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

const bucketOf = (method: string, segmentCount: number) => `${method} ${segmentCount}`;

/** The method a request is looked up under: HEAD is a GET without the body. */
const lookupMethod = (method: string) => {
  const upper = method.toUpperCase();
  return upper === "HEAD" ? "GET" : upper;
};

/**
 * Compiles the templates once (by method and number of segments, most specific first) and returns
 * the lookup: the matching route, or undefined when none matches.
 */
export function compileRouteMatcher<T extends RouteTemplate>(
  routes: readonly T[],
): (method: string, path: string) => T | undefined {
  const buckets = new Map<string, CompiledRoute<T>[]>();
  for (const route of routes) {
    const segments = route.path.split("/").map(compileSegment);
    const key = bucketOf(route.method.toUpperCase(), segments.length);
    const bucket = buckets.get(key) ?? [];
    bucket.push({ route, segments });
    buckets.set(key, bucket);
  }
  for (const bucket of buckets.values()) bucket.sort(bySpecificity);

  return (method, path) => {
    const segments = path.split("/");
    const candidates = buckets.get(bucketOf(lookupMethod(method), segments.length)) ?? [];
    return candidates.find((candidate) =>
      candidate.segments.every((segment, index) => segment.matches(segments[index] ?? "")),
    )?.route;
  };
}
