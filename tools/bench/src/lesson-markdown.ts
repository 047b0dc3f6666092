/**
 * Lesson text as authors write it, so that rendering costs what it would on real lessons (the
 * demo data's one-line lessons render in microseconds): headings, emphasis, links (which get a
 * `rel`), inline code, lists, a fenced code block, a table and a quote, about 2.5 KB a lesson,
 * and each lesson different. Deterministic, so every run renders the same text.
 */
export function lessonMarkdown(lesson: number): string {
  const topic = TOPICS[lesson % TOPICS.length] ?? "caching";
  return `## ${lesson + 1}. ${capitalise(topic)} in practice

In this lesson we look at **${topic}** from the learner's side first and the operator's side
second. Read the [reference for ${topic}](https://example.com/docs/${topic.replaceAll(" ", "-")}) when you
want the details; here we keep to what you will *actually* use, with \`code you can run\` as we go.

${PARAGRAPHS[lesson % PARAGRAPHS.length]}

### What you will do

1. Measure the current behaviour with a small script, and write the number down.
2. Change one thing at a time: ${topic}, then the request path, then the database.
3. Measure again, and compare *ratios*, never single figures from a busy machine.
4. Keep the change only when the figure moved for the reason you expected.

Things to keep in mind:

- A cache that is never invalidated is a bug report waiting to be filed.
- Every round trip you remove is paid back on every request, for every learner.
- ~~Premature optimisation~~ Measure first: the profile is usually surprising.

\`\`\`ts
// Lesson ${lesson + 1}: timing one request, the honest way.
const started = performance.now();
const response = await fetch(\`\${base}/api/courses/\${courseId}/lessons\`);
const body = await response.json();
console.log(response.status, body.lessons.length, (performance.now() - started).toFixed(1), "ms");
\`\`\`

| approach | round trips | cached | notes |
| --- | ---: | :---: | --- |
| one query per table | ${2 + (lesson % 3)} | no | simple, but every request pays |
| one joined query | 1 | no | what the database is good at |
| cached outline | 0 | yes | invalidated by the course's events |

> ${QUOTES[lesson % QUOTES.length]}

${PARAGRAPHS[(lesson + 1) % PARAGRAPHS.length]}

#### Exercise

Take the script above, run it against your own course **before** and **after** the change, and
note the p50 and p99 of 200 requests. Then answer: which part of the difference is ${topic}, and
which part is the machine? Check your answer against lesson ${lesson + 2} (see
<https://example.com/lessons/${lesson + 2}>).
`;
}

/** A course description of about 1.5 KB, in the same style. */
export function courseDescriptionMarkdown(): string {
  return `# Fast reads at the edge

A course about the read path of a real application: **what a request costs**, where that cost goes,
and how to make an uncached page cost little more than a cached one.

${PARAGRAPHS[0]}

You will learn to:

- measure before you change anything, and compare ratios from one run;
- remove round trips: one session and one statement where there were several;
- render once, when content is written, instead of on every read;
- cache what is public, and invalidate it by events.

\`\`\`sh
npm run bench -- --only read-path
\`\`\`

> ${QUOTES[0]}
`;
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

const TOPICS = [
  "caching",
  "connection pooling",
  "query planning",
  "edge rendering",
  "cache invalidation",
  "conditional requests",
  "structured logging",
  "back-pressure",
];

const PARAGRAPHS = [
  "Most pages are read far more often than they are written. A course outline changes a few times a " +
    "week and is read thousands of times a day, so work done when it is *written* is done once, while " +
    "work done when it is *read* is done for every learner, on every device, in every region. That " +
    "asymmetry is the whole lesson; the rest is bookkeeping.",
  "Latency is distance plus work. You cannot move the learner, but you can move the work: render when " +
    "content changes, keep what is public close to the learner, and make the one trip to the database " +
    "that cannot be avoided a single statement on a connection that already exists.",
  "When a figure looks too good, suspect the measurement first: was the cache warm, was the machine " +
    "idle, did every response have the status you expected? A benchmark that cannot fail tells you " +
    "nothing, exactly like a test that cannot fail.",
];

const QUOTES = [
  "The fastest request is the one you never have to compute twice.",
  "Measure, change one thing, measure again. Everything else is guessing.",
  "A cache is a promise about freshness; keep it, or do not make it.",
];
