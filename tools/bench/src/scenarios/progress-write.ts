import pg from "pg";
import { measureInterleaved, type Target } from "../load.ts";
import { learnerTokens, readPathData } from "../read-path-seed.ts";
import { CONNECTIONS, EQUAL_LOAD_RATE, type Scenario } from "../scenario.ts";

const NAME = "progress-write";

async function firstLessonOf(databaseUrl: string, courseId: string): Promise<string> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string }>(
      "select id from courses.lessons where course_id = $1 order by position limit 1",
      [courseId],
    );
    const id = rows[0]?.id;
    if (!id) throw new Error(`${NAME}: the read-path course has no lessons.`);
    return id;
  } finally {
    await client.end();
  }
}

/**
 * Every learner's first view of the lesson, one after another: a transaction and a LESSON_VIEWED
 * each, done before measuring so the measured rows are the frequent case, a player's position.
 */
async function firstViews(url: string, tokens: readonly string[]): Promise<void> {
  for (const token of tokens) {
    const answer = await fetch(url, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ event: "viewed" }),
    });
    await answer.body?.cancel();
    if (answer.status !== 200) throw new Error(`${NAME}: a first view answered ${answer.status}.`);
  }
}

export const progressWrite: Scenario = {
  name: NAME,
  description:
    'POST /api/progress/lessons/{id} through the gateway with a player\'s position (`{event: "position"}`), the ' +
    "frequent write (one every ~10 s per player): 200 learners with access to a course of text lessons, in turn " +
    "(each has viewed the lesson before the rounds, so every write is the one-statement path: no transaction, no " +
    `event). At ${EQUAL_LOAD_RATE} req/s paced and flat out, rounds alternating.`,
  async run({ platform, durations, say }) {
    const view = await platform.stack("dev-server");
    const data = await readPathData(view.databaseUrl, view.gatewayUrl, say);
    const tokens = await learnerTokens(view.gatewayUrl);
    const lessonId = await firstLessonOf(view.databaseUrl, data.courseId);
    const path = `/api/progress/lessons/${lessonId}`;
    say(`${NAME}: the first view of ${tokens.length} learners …`);
    await firstViews(new URL(path, view.gatewayUrl).href, tokens);
    const target = (suffix: string): Target => ({
      id: `${NAME}/${suffix}`,
      route: "gateway",
      baseUrl: view.gatewayUrl,
      path,
      method: "POST",
      jsonBody: { event: "position", positionSeconds: 30 },
      headerVariants: tokens.map((token) => ({ authorization: `Bearer ${token}` })),
      variant: "a player's position (200 learners in turn)",
      expectedStatuses: [200],
    });
    return [
      ...(await measureInterleaved(
        NAME,
        [target(`${EQUAL_LOAD_RATE}rps`)],
        { rate: EQUAL_LOAD_RATE, connections: CONNECTIONS, schedule: durations.fixedRate },
        say,
      )),
      ...(await measureInterleaved(
        NAME,
        [target("max")],
        { rate: null, connections: CONNECTIONS, schedule: durations.maxThroughput },
        say,
      )),
    ];
  },
};
