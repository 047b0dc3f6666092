import { beforeAll, describe, expect, inject, it } from "vitest";
import { INBOUND_SIGNATURE_HEADER, signInboundBody } from "@platform/events";
import { signatureFor } from "@platform/stripe-stand-in";
import { api, gatewayUrl, newClientAddress } from "../support/api.ts";
import { publishedCourse, type CourseBody } from "../support/courses.ts";
import {
  bodyWith,
  jsonBodySchemaOf,
  operationsOf,
  sampleOf,
  stringFieldsOf,
  type OpenApiDocument,
  type Operation,
  type StringField,
} from "../support/openapi-fuzz.ts";
import { learner, personWith, type Person } from "../support/people.ts";

/**
 * Every route's string fields, fuzzed through the gateway with text PostgreSQL cannot store: for
 * each operation of the merged OpenAPI document and each string it declares (path and query
 * parameters, JSON body fields, nested ones included), the field once with a NUL and once with a
 * lone surrogate, the other fields filled in validly from the schema, sent by someone who passes
 * the route's access check (admin, instructor and learner at once, and the course's author, where
 * the route asks for a token; a valid signature for the webhook and the inbound events). No answer may be a 5xx, and the bad field
 * must be refused: 400 naming it, or a 4xx the route documents (404 for a sandbox session id its
 * pattern refuses).
 *
 * A lone surrogate cannot travel in a URL as text: its UTF-8 does not exist, so it goes as the
 * bytes a lenient encoder would write (`%ED%A0%80`), which are not UTF-8 either, and the worker
 * sees them undecoded, as storable text. For path and query fields that probe must only never be
 * a 5xx. Headers are left out: HTTP cannot carry a NUL in one.
 */

const NUL = "\u0000";
const LONE_SURROGATE = "\uD800";
type Bad = "NUL" | "lone surrogate";

let document: OpenApiDocument;
let caller: Person;
let course: CourseBody;
let lessonId: string;
let sectionId: string;
let uploadId: string;
let someoneElse: Person;

beforeAll(async () => {
  const fetched = await api<OpenApiDocument>("GET", "/api/openapi.json");
  expect(fetched.status).toBe(200);
  document = fetched.body;
  caller = await personWith(["learner", "instructor", "admin"], "fuzz");
  someoneElse = await learner("fuzz-target");
  course = await publishedCourse(caller);
  const lesson = await api<{ id: string }>("POST", `/api/courses/${course.id}/lessons`, {
    token: caller.token,
    body: { title: "Fuzzed lesson", kind: "text", bodyMarkdown: "Some text." },
  });
  lessonId = lesson.body.id;
  const section = await api<{ id: string }>("POST", `/api/courses/${course.id}/sections`, {
    token: caller.token,
    body: { title: "Fuzzed section" },
  });
  sectionId = section.body.id;
  const upload = await api<{ id: string }>("POST", `/api/courses/${course.id}/uploads`, {
    token: caller.token,
    body: { fileName: "clip.mp4", contentType: "video/mp4", sizeBytes: 1024 },
  });
  uploadId = upload.body.id;
  expect([lessonId, sectionId, uploadId].every(Boolean), "a lesson, a section and an upload to fuzz against").toBe(
    true,
  );
}, 60_000);

/** The value of a path parameter that is not under test: an existing resource where the route needs one. */
function pathValue(name: string, template: string): string {
  const resources: Record<string, string> = { sectionId, lessonId, uploadId, partNumber: "1" };
  if (resources[name]) return resources[name];
  if (name === "id" && template.startsWith("/api/courses/")) return course.id;
  if (name === "id" && template.startsWith("/api/users/")) return someoneElse.userId;
  if (name === "id") return crypto.randomUUID();
  return { key: "cover.png", slug: "fuzz", sessionId: "cs_test_fuzz" }[name] ?? "fuzz";
}

/** The bad value as it travels: in JSON as the string itself (JSON escapes it), in a URL percent-encoded. */
function urlEncoded(sample: string, bad: Bad): string {
  return `${encodeURIComponent(sample)}${bad === "NUL" ? "%00" : "%ED%A0%80"}`;
}

const inboundSecret = inject("inboundEventsSecret");
const stripeWebhookSecret = inject("stripeWebhookSecret");

/** The access check of the routes that take no token: their signature over the raw body. */
async function signatureHeaders(path: string, body: string): Promise<Record<string, string>> {
  if (path === "/api/payments/webhooks/stripe") return { "stripe-signature": signatureFor(body, stripeWebhookSecret) };
  if (path === "/api/events/inbound") return { [INBOUND_SIGNATURE_HEADER]: await signInboundBody(inboundSecret, body) };
  return {};
}

interface Outcome {
  readonly probe: string;
  readonly status: number;
  readonly type?: string;
  readonly fieldPaths: readonly string[];
}

async function send(template: string, method: string, operation: Operation, field: StringField, bad: Bad) {
  const path = template.replace(/\{(\w+)\}/g, (_, name: string) =>
    field.in === "path" && field.path[0] === name
      ? urlEncoded(pathValue(name, template), bad)
      : encodeURIComponent(pathValue(name, template)),
  );
  const query = field.in === "query" ? `?${String(field.path[0])}=${urlEncoded(field.sample, bad)}` : "";
  const bodySchema = jsonBodySchemaOf(operation);
  const text = bad === "NUL" ? `${field.sample}${NUL}` : `${field.sample}${LONE_SURROGATE}`;
  let body: string | undefined;
  // The token only where the route asks for one: the gateway counts a signed-in caller's sign-ups
  // and sign-ins against the caller, and this one makes many.
  const headers: Record<string, string> = {
    "cf-connecting-ip": newClientAddress(),
    ...(operation.security?.length && { authorization: `Bearer ${caller.token}` }),
  };
  if (bodySchema) {
    const value =
      field.in === "json" ? bodyWith(document, bodySchema, field.path, text) : sampleOf(document, bodySchema);
    body = JSON.stringify(value);
    headers["content-type"] = "application/json";
    Object.assign(headers, await signatureHeaders(template, body));
  } else if (operation.requestBody?.content["application/octet-stream"]) {
    body = "";
    headers["content-type"] = "application/octet-stream";
  }
  const response = await fetch(`${gatewayUrl}${path}${query}`, {
    method: method.toUpperCase(),
    headers,
    body,
    redirect: "manual",
  });
  const answer = await response.text();
  let problem: { type?: string; errors?: { path: string }[] } = {};
  if (response.headers.get("content-type")?.includes("json") && answer) problem = JSON.parse(answer);
  return {
    probe: `${method.toUpperCase()} ${template} ${field.errorPath} (${bad})`,
    status: response.status,
    type: problem.type,
    fieldPaths: (problem.errors ?? []).map((error) => error.path),
  } satisfies Outcome;
}

/** Refused as the route documents it: 400 naming the field, or another 4xx the route lists. */
function refusedProperly(outcome: Outcome, operation: Operation, field: StringField): boolean {
  if (outcome.status === 400 && outcome.type === "/problems/validation-failed") {
    return outcome.fieldPaths.some((path) => path === field.errorPath || path.startsWith(`${field.errorPath}.`));
  }
  return (
    outcome.status >= 400 && outcome.status < 500 && outcome.status !== 400 && outcome.status in operation.responses
  );
}

describe("text PostgreSQL cannot store, in every string field of every route", () => {
  it("is never a 5xx, and is refused with 400 naming the field (or the route's documented 4xx)", async () => {
    const operations = operationsOf(document);
    const fuzzed = operations
      .map((entry) => ({ ...entry, fields: stringFieldsOf(document, entry.operation) }))
      .filter((entry) => entry.fields.length > 0);
    const failures: string[] = [];
    const urlSurrogates: Record<number, number> = {};
    let probes = 0;
    for (const { method, path, operation, fields } of fuzzed) {
      for (const field of fields) {
        for (const bad of ["NUL", "lone surrogate"] as const) {
          const outcome = await send(path, method, operation, field, bad);
          probes += 1;
          const inUrl = field.in !== "json";
          if (outcome.status >= 500) {
            failures.push(`${outcome.probe}: ${outcome.status} ${outcome.type ?? ""}`);
          } else if (bad === "lone surrogate" && inUrl) {
            urlSurrogates[outcome.status] = (urlSurrogates[outcome.status] ?? 0) + 1;
          } else if (!refusedProperly(outcome, operation, field)) {
            failures.push(
              `${outcome.probe}: ${outcome.status} ${outcome.type ?? ""} naming [${outcome.fieldPaths.join(", ")}]`,
            );
          }
        }
      }
    }
    const fieldCount = fuzzed.reduce((sum, entry) => sum + entry.fields.length, 0);
    console.info(
      `storable text fuzz: ${fuzzed.length} of ${operations.length} operations have string fields; ` +
        `${fieldCount} fields, ${probes} requests; URL-borne lone surrogates answered ${JSON.stringify(urlSurrogates)}`,
    );
    expect(failures).toEqual([]);
    // The document was read and walked: this API has dozens of operations with string fields.
    expect(fuzzed.length).toBeGreaterThanOrEqual(40);
  }, 240_000);
});

describe("values decoded after validation", () => {
  const cursor = (text: string) => encodeURIComponent(btoa(text).replace(/=+$/, ""));
  it.each([
    ["an id of dashes", `2026-03-01T12:34:56.789Z|${"-".repeat(36)}`],
    ["a NUL in the date", `2026-03-01T12:34:56.789Z${NUL}|0192f0c4-7a3e-7d11-9c2b-3f4e5a6b7c8d`],
    ["a year PostgreSQL refuses", "+275760-09-13T00:00:00.000Z|0192f0c4-7a3e-7d11-9c2b-3f4e5a6b7c8d"],
    ["month 13", "2026-13-01T00:00:00.000Z|0192f0c4-7a3e-7d11-9c2b-3f4e5a6b7c8d"],
  ])("a catalog cursor tampered with %s answers 400 naming query.cursor", async (_, text) => {
    const answer = await api<{ errors?: { path: string }[] }>("GET", `/api/courses?cursor=${cursor(text)}`);
    expect(answer.status, JSON.stringify(answer.body)).toBe(400);
    expect(answer.body.errors?.map((error) => error.path)).toEqual(["query.cursor"]);
  });
});
