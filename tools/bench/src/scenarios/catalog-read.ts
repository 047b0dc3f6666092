import { aSeededCourseId, seedCatalog, SEED_COURSES, topicWord } from "../catalog-seed.ts";
import { BUDGETS } from "../budgets.ts";
import { measureInterleaved, warmUp, type Target } from "../load.ts";
import { CONNECTIONS, EQUAL_LOAD_RATE, type Scenario } from "../scenario.ts";

const NAME = "catalog-read";
const CATALOG = "/api/courses?limit=20";

/** A different search per request (every one a cache miss), in an order that does not follow the data. */
export function distinctSearches(count: number): string[] {
  const order = Array.from({ length: count }, (_, i) => i + 1);
  for (let i = order.length - 1; i > 0; i--) {
    const j = (i * 7919) % (i + 1);
    [order[i], order[j]] = [order[j] ?? 0, order[i] ?? 0];
  }
  return order.map((i) => `${CATALOG}&q=${topicWord(i)}`);
}

export const catalogRead: Scenario = {
  name: NAME,
  description:
    `The catalog and a lesson list through the gateway, on ${SEED_COURSES.toLocaleString("en")} published courses with ` +
    "200,000 lessons: GET /api/courses cached (the same page, a KV hit) and uncached (a distinct word search per " +
    "request, so every one misses and reads PostgreSQL through the GIN index), and GET /api/courses/{id}/lessons " +
    `(20 lessons, always from PostgreSQL), each at ${EQUAL_LOAD_RATE} req/s and at the budget's ${BUDGETS.cachedCatalogRate} req/s, rounds alternating.`,
  async run({ platform, durations, say }) {
    const [baseUrl, databaseUrl] = await Promise.all([platform.gatewayUrl(), platform.databaseUrl()]);
    say(`${NAME}: seeding the catalog …`);
    const seeded = await seedCatalog(databaseUrl);
    say(`${NAME}: ${seeded.courses} courses and ${seeded.lessons} lessons (${seeded.seconds.toFixed(1)} s)`);
    const courseId = await aSeededCourseId(databaseUrl);
    const base = { baseUrl, route: "gateway" as const, expectedStatuses: [200] };
    const measurements = [];
    for (const rate of [EQUAL_LOAD_RATE, BUDGETS.cachedCatalogRate]) {
      const targets: Target[] = [
        { ...base, id: `${NAME}/cached/${rate}rps`, path: CATALOG, variant: "cached page (KV hit)" },
        {
          ...base,
          id: `${NAME}/uncached/${rate}rps`,
          path: `${CATALOG}&q=topicN`,
          variant: "uncached (a distinct search per request)",
          pathVariants: distinctSearches(SEED_COURSES),
        },
        {
          ...base,
          id: `${NAME}/lessons/${rate}rps`,
          path: `/api/courses/${courseId}/lessons`,
          variant: "lesson list (20 lessons)",
        },
      ];
      // The warm-up also puts the cached page in KV.
      for (const target of targets) await warmUp(target, durations.warmUpSeconds);
      measurements.push(
        ...(await measureInterleaved(
          NAME,
          targets,
          { rate, connections: CONNECTIONS, schedule: durations.fixedRate },
          say,
        )),
      );
    }
    return measurements;
  },
};
