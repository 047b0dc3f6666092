import type { ExecutionContext } from "hono";
import { DOMAIN_SERVICES, bindingNameOf, type DomainService } from "@platform/contracts";
import { createServiceApp } from "@platform/http-kit";
import { app as auth } from "../../../workers/auth/src/app.ts";
import { app as courses } from "../../../workers/courses/src/app.ts";
import { app as events } from "../../../workers/events/src/app.ts";
import type { OpenApiDocument } from "../../../workers/gateway/src/openapi/document.ts";
import { forgetDocuments, openapiRoutes } from "../../../workers/gateway/src/openapi/routes.ts";
import { app as notifications } from "../../../workers/notifications/src/app.ts";
import { app as payments } from "../../../workers/payments/src/app.ts";
import { app as progress } from "../../../workers/progress/src/app.ts";
import { app as users } from "../../../workers/users/src/app.ts";

/**
 * The merged OpenAPI document, built without a running stack: the gateway's own
 * `GET /api/openapi.json` route (its document, its merge, its `info`) is asked in-process, and
 * its service bindings are stand-ins that hand `/openapi.json` to each domain worker's Hono app,
 * also in-process. A worker builds that document from its route declarations alone: the database
 * is opened lazily and never reached, so no binding is needed.
 */

/** The origin `npm start` serves: the document's one `servers` entry (clients pass their own `baseUrl`). */
export const DOCUMENT_ORIGIN = "http://127.0.0.1:8787";

interface InProcessApp {
  request(
    input: string,
    init: RequestInit | undefined,
    env: object,
    ctx: ExecutionContext,
  ): Response | Promise<Response>;
}

const domainApps: Record<DomainService, InProcessApp> = {
  auth,
  users,
  courses,
  payments,
  progress,
  notifications,
  events,
};

const executionContext: ExecutionContext = { waitUntil: () => {}, passThroughOnException: () => {}, props: {} };

function domainBindings(): Record<string, { fetch(input: string, init?: RequestInit): Promise<Response> }> {
  return Object.fromEntries(
    DOMAIN_SERVICES.map((service) => [
      bindingNameOf(service),
      {
        fetch: async (input: string, init?: RequestInit) =>
          domainApps[service].request(input, init, {}, executionContext),
      },
    ]),
  );
}

/**
 * The domain apps write one JSON line per request to the console (in workerd that is their log);
 * here those lines would only bury the generator's output, so they are dropped while it runs.
 */
async function withoutRequestLogLines<T>(work: () => Promise<T>): Promise<T> {
  const log = console.log;
  console.log = (...args: unknown[]) => {
    const [first] = args;
    if (typeof first === "string" && first.startsWith("{") && first.includes('"msg":"request"')) return;
    log(...args);
  };
  try {
    return await work();
  } finally {
    console.log = log;
  }
}

export async function buildMergedDocument(): Promise<OpenApiDocument> {
  // The gateway keeps fetched documents for a minute per isolate: always merge what the code says now.
  forgetDocuments();
  const gateway = createServiceApp({ service: "gateway", logSink: () => {} });
  gateway.route("/", openapiRoutes);
  const response = await withoutRequestLogLines(async () =>
    gateway.request(`${DOCUMENT_ORIGIN}/api/openapi.json`, {}, domainBindings(), executionContext),
  );
  if (response.status !== 200) {
    throw new Error(`The gateway could not merge the documents (${response.status}): ${await response.text()}`);
  }
  return (await response.json()) as OpenApiDocument;
}
