import { BUDGETS } from "../budgets.ts";
import { seedCatalog } from "../catalog-seed.ts";
import { measureInterleaved, warmUp, type LoadShape, type Target } from "../load.ts";
import type { Measurement } from "../measurements.ts";
import type { ReadPathRatio, ReadPathRow, ReadPathSummary } from "../read-path-figures.ts";
import { learnerTokens, readPathData, type ReadPathData } from "../read-path-seed.ts";
import { CONNECTIONS, EQUAL_LOAD_RATE, type Scenario } from "../scenario.ts";
import { scenarioName, type StackMode } from "../stack-mode.ts";
import { distinctSearches } from "./catalog-read.ts";

const CATALOG = "/api/courses?limit=20";

/** One kind of read: what it asks for, as whom, and whether it also runs flat out. */
interface ReadSpec {
  readonly key: string;
  readonly request: string;
  readonly caller: "anonymous" | "signed in";
  readonly path: string;
  readonly pathVariants?: (shape: "paced" | "flat-out") => readonly string[];
  readonly signedIn?: boolean;
  readonly flatOut: boolean;
  /** Never-read copies are not warmed up: that would read them (the other targets warm the same code). */
  readonly warmUp?: false;
}

/**
 * Copies of the course nobody has read, for reads that must miss every cache. Shared by both
 * modes: each stack has its own caches (KV and isolate memory), so a copy read once in one
 * stack is still unread in the other.
 */
const freshPools = new Map<string, Promise<string[]>>();
function freshCourses(data: ReadPathData, key: string, count: number): Promise<string[]> {
  let pool = freshPools.get(key);
  if (!pool) {
    pool = data.freshCourses(count);
    freshPools.set(key, pool);
  }
  return pool;
}

async function bySlugExists(baseUrl: string, slug: string): Promise<boolean> {
  const response = await fetch(new URL(`/api/courses/by-slug/${slug}`, baseUrl), {
    headers: { "cf-connecting-ip": "198.19.254.2" },
  });
  await response.arrayBuffer();
  return response.status === 200;
}

export function readPathScenario(mode: StackMode): Scenario {
  const name = scenarioName("read-path", mode);
  return {
    name,
    description:
      `The reads a learner makes, through the gateway${mode === "production-shaped" ? " of the production-shaped stack (stack-mode.ts)" : ""}, ` +
      "rounds alternating: the cached catalog page (a KV hit), a distinct catalog search per request (a miss), " +
      "the course page by id and by slug and the lesson list (a course of 20 text lessons of about 2.5 KB Markdown), each " +
      "anonymous and signed in (200 learners with access, in turn), and the course page and lesson list of a course " +
      `nobody has read yet per request (a copy: every one a cache miss). Each at ${EQUAL_LOAD_RATE} req/s paced and flat out ` +
      "(the never-read copies paced only); x-cache counted on every answer. Reports the uncached/cached throughput " +
      "ratios and the lesson list's p50 against the cached catalog's.",
    async run({ platform, durations, say }) {
      const view = await platform.stack(mode);
      const baseUrl = view.gatewayUrl;
      say(`${name}: seeding (the catalog for searches, the read-path course, learners) …`);
      await seedCatalog(view.databaseUrl);
      const data = await readPathData(view.databaseUrl, baseUrl, say);
      const tokens = await learnerTokens(baseUrl);
      const headerVariants = tokens.map((token) => ({ authorization: `Bearer ${token}` }));
      const paced = durations.fixedRate;
      const pacedCount = Math.ceil(EQUAL_LOAD_RATE * paced.secondsPerRound) * paced.rounds;
      const [freshPages, freshOutlines] = await Promise.all([
        freshCourses(data, `page/${pacedCount}`, pacedCount),
        freshCourses(data, `outline/${pacedCount}`, pacedCount),
      ]);
      // The paced rounds take the first searches, the flat-out ones go on from there.
      const searches = distinctSearches(10_000);
      const searchesFor = (shape: "paced" | "flat-out") =>
        shape === "paced" ? searches : [...searches.slice(pacedCount), ...searches.slice(0, pacedCount)];

      const course = `/api/courses/${data.courseId}`;
      const specs: ReadSpec[] = [
        { key: "catalog", request: "catalog page (KV hit)", caller: "anonymous", path: CATALOG, flatOut: true },
        {
          key: "search",
          request: "catalog search, a distinct one per request",
          caller: "anonymous",
          path: `${CATALOG}&q=topicN`,
          pathVariants: searchesFor,
          flatOut: true,
        },
        { key: "page", request: "course page", caller: "anonymous", path: course, flatOut: true },
        {
          key: "page-signed-in",
          request: "course page",
          caller: "signed in",
          path: course,
          signedIn: true,
          flatOut: true,
        },
        ...((await bySlugExists(baseUrl, data.slug))
          ? [
              {
                key: "page-by-slug",
                request: "course page by slug",
                caller: "anonymous" as const,
                path: `/api/courses/by-slug/${data.slug}`,
                flatOut: true,
              },
            ]
          : []),
        {
          key: "page-never-read",
          request: "course page, a never-read course per request",
          caller: "anonymous",
          path: "/api/courses/{copy}",
          pathVariants: () => freshPages.map((id) => `/api/courses/${id}`),
          flatOut: false,
          warmUp: false,
        },
        { key: "lessons", request: "lesson list", caller: "anonymous", path: `${course}/lessons`, flatOut: true },
        {
          key: "lessons-signed-in",
          request: "lesson list",
          caller: "signed in",
          path: `${course}/lessons`,
          signedIn: true,
          flatOut: true,
        },
        {
          key: "lessons-never-read",
          request: "lesson list, a never-read course per request",
          caller: "anonymous",
          path: "/api/courses/{copy}/lessons",
          pathVariants: () => freshOutlines.map((id) => `/api/courses/${id}/lessons`),
          flatOut: false,
          warmUp: false,
        },
      ];

      const idOf = (key: string, shape: "paced" | "flat-out") =>
        `${name}/${key}/${shape === "paced" ? `${EQUAL_LOAD_RATE}rps` : "max"}`;
      const targetOf = (spec: ReadSpec, shape: "paced" | "flat-out"): Target => ({
        id: idOf(spec.key, shape),
        route: "gateway",
        baseUrl,
        path: spec.path,
        variant: `${spec.request}, ${spec.caller}`,
        expectedStatuses: [200],
        observeHeader: "x-cache",
        ...(spec.pathVariants ? { pathVariants: spec.pathVariants(shape) } : {}),
        ...(spec.signedIn ? { headerVariants } : {}),
      });
      const measureShape = async (shape: "paced" | "flat-out", load: LoadShape) => {
        const chosen = specs.filter((spec) => shape === "paced" || spec.flatOut);
        // The warm-up reads each target's own path, never its variants, and fills the caches.
        for (const spec of chosen) {
          if (spec.warmUp !== false) await warmUp(targetOf(spec, shape), durations.warmUpSeconds);
        }
        return await measureInterleaved(
          name,
          chosen.map((spec) => targetOf(spec, shape)),
          load,
          say,
        );
      };
      const pacedRows = await measureShape("paced", {
        rate: EQUAL_LOAD_RATE,
        connections: CONNECTIONS,
        schedule: paced,
      });
      const flatRows = await measureShape("flat-out", {
        rate: null,
        connections: CONNECTIONS,
        schedule: durations.maxThroughput,
      });

      const find = (key: string, shape: "paced" | "flat-out") =>
        (shape === "paced" ? pacedRows : flatRows).find((m) => m.id === idOf(key, shape));
      const rows: ReadPathRow[] = specs.map((spec) => ({
        request: spec.request,
        caller: spec.caller,
        path: spec.path,
        pacedId: find(spec.key, "paced")?.id,
        ...(spec.flatOut ? { flatOutId: find(spec.key, "flat-out")?.id } : {}),
      }));
      const throughput = (key: string) => find(key, "flat-out")?.requestsPerSecond ?? Number.NaN;
      const p50 = (key: string) => find(key, "paced")?.latencyMs.p50 ?? Number.NaN;
      const designBudget = { at: "least" as const, value: BUDGETS.uncachedToCachedThroughput, source: "DESIGN.md §6" };
      const issueGoal = { at: "most" as const, value: BUDGETS.lessonListToCatalogP50, source: "issue 16" };
      const ratios: ReadPathRatio[] = [
        {
          label: "req/s flat out: signed-in lesson list (uncached) ÷ cached catalog",
          value: throughput("lessons-signed-in") / throughput("catalog"),
          limit: designBudget,
        },
        {
          label: "req/s flat out: distinct search (uncached) ÷ cached catalog",
          value: throughput("search") / throughput("catalog"),
          limit: designBudget,
        },
        {
          label: "req/s flat out: anonymous lesson list ÷ cached catalog",
          value: throughput("lessons") / throughput("catalog"),
        },
        {
          label: "req/s flat out: anonymous course page ÷ cached catalog",
          value: throughput("page") / throughput("catalog"),
        },
        {
          label: `p50 at ${EQUAL_LOAD_RATE} req/s: signed-in lesson list ÷ cached catalog`,
          value: p50("lessons-signed-in") / p50("catalog"),
          limit: issueGoal,
        },
        {
          label: `p50 at ${EQUAL_LOAD_RATE} req/s: anonymous lesson list ÷ cached catalog`,
          value: p50("lessons") / p50("catalog"),
          limit: issueGoal,
        },
        {
          label: `p50 at ${EQUAL_LOAD_RATE} req/s: never-read lesson list ÷ cached catalog`,
          value: p50("lessons-never-read") / p50("catalog"),
        },
        {
          label: `p50 at ${EQUAL_LOAD_RATE} req/s: never-read course page ÷ cached catalog`,
          value: p50("page-never-read") / p50("catalog"),
        },
      ];
      const summary: ReadPathSummary = { kind: "read-path", scenario: name, mode, rows, ratios };
      const measurements: Measurement[] = [...pacedRows, ...flatRows, summary];
      return measurements;
    },
  };
}
