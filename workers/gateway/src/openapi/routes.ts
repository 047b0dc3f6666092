import { Hono } from "hono";
import { DOMAIN_SERVICES, bindingNameOf, type ServiceBindingName } from "@platform/contracts";
import { logLine, respondWithProblem, type ServiceEnv } from "@platform/http-kit";
import { internalHeaders } from "../internal-headers.ts";
import { docsPage, OPENAPI_DOCUMENT_URL } from "./docs-page.ts";
import { isOpenApiDocument, type OpenApiDocument } from "./document.ts";
import { gatewayDocument } from "./gateway-document.ts";
import { mergeOpenApiDocuments, type DocumentSource } from "./merge.ts";

/** Documents change only with a deploy; a minute keeps a new one visible soon without asking six workers per request. */
const CACHE_MS = 60_000;
const FETCH_TIMEOUT_MS = 5_000;

const API_INFO = {
  title: "Edge Learning API",
  version: "0.1.0",
  description:
    "The platform's REST API. Every error is RFC 9457 `application/problem+json`; send an `x-correlation-id` " +
    "(1–128 characters of `A-Za-z0-9._:-`) to find a request in the logs.",
};

type DomainService = (typeof DOMAIN_SERVICES)[number];

/**
 * What these routes need of the gateway's bindings: each domain worker's fetch. Structural, so
 * the routes run in unit tests with stand-ins (workers-types' `Fetcher` exists only in workerd).
 */
interface DocumentSourceBinding {
  fetch(input: string, init?: RequestInit): Promise<Response>;
}
type DomainBindings = Record<ServiceBindingName, DocumentSourceBinding>;

class DocumentsUnavailable extends Error {
  override name = "DocumentsUnavailable";
}

async function fetchDocument(
  env: DomainBindings,
  service: DomainService,
  correlationId: string,
): Promise<OpenApiDocument> {
  const response = await env[bindingNameOf(service)].fetch("http://internal/openapi.json", {
    headers: internalHeaders(correlationId),
    signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
  });
  if (!response.ok) {
    await response.body?.cancel();
    throw new Error(`answered ${response.status}`);
  }
  const document: unknown = await response.json();
  if (!isOpenApiDocument(document)) throw new Error("answered something that is not an OpenAPI document");
  return document;
}

type Fetched = { service: DomainService; document: OpenApiDocument } | { service: DomainService; error: string };

/** Every domain worker's document, asked through its service binding, all at once. */
async function loadDomainDocuments(env: DomainBindings, correlationId: string): Promise<DocumentSource[]> {
  const results = await Promise.all(
    DOMAIN_SERVICES.map(async (service): Promise<Fetched> => {
      try {
        return { service, document: await fetchDocument(env, service, correlationId) };
      } catch (error) {
        return { service, error: error instanceof Error ? error.message : String(error) };
      }
    }),
  );
  const failures = results.flatMap((result) => ("error" in result ? [`${result.service}: ${result.error}`] : []));
  if (failures.length > 0) throw new DocumentsUnavailable(failures.join("; "));
  return results.flatMap((result) =>
    // Only /api/<service>/* reaches that worker: a path outside it would be documented but unreachable.
    "document" in result
      ? [{ name: result.service, document: result.document, pathPrefixes: [`/api/${result.service}`] }]
      : [],
  );
}

interface Cached {
  readonly sources: DocumentSource[];
  readonly fetchedAt: number;
}

let cached: Cached | undefined;
let inflight: Promise<Cached> | undefined;

/** Per isolate, one load at a time; when a refresh fails the last good documents are served rather than none. */
async function domainDocuments(env: DomainBindings, correlationId: string): Promise<DocumentSource[]> {
  if (cached && Date.now() - cached.fetchedAt < CACHE_MS) return cached.sources;
  inflight ??= loadDomainDocuments(env, correlationId)
    .then((sources) => (cached = { sources, fetchedAt: Date.now() }))
    .finally(() => (inflight = undefined));
  try {
    return (await inflight).sources;
  } catch (error) {
    if (cached) return cached.sources;
    throw error;
  }
}

/** For tests: forget what was fetched. */
export function forgetDocuments(): void {
  cached = undefined;
}

const GATEWAY_SOURCE: DocumentSource = {
  name: "gateway",
  document: gatewayDocument,
  pathPrefixes: ["/api/health", "/api/live", "/.well-known"],
};

export const openapiRoutes = new Hono<ServiceEnv<DomainBindings>>()
  .get(OPENAPI_DOCUMENT_URL, async (c) => {
    let sources: DocumentSource[];
    try {
      sources = await domainDocuments(c.env, c.var.correlationId);
    } catch (error) {
      if (!(error instanceof DocumentsUnavailable)) throw error;
      logLine("error", "gateway", "openapi documents unavailable", {
        error: error.message,
        correlationId: c.var.correlationId,
      });
      return respondWithProblem(c, "bad-gateway", { detail: "The API description could not be assembled." });
    }
    // A clash between documents throws: a deployment mistake, answered 500 and logged by the error handler.
    const document = mergeOpenApiDocuments([GATEWAY_SOURCE, ...sources], {
      info: API_INFO,
      serverUrl: new URL(c.req.url).origin,
    });
    c.header("cache-control", `public, max-age=${CACHE_MS / 1000}`);
    return c.json(document);
  })
  .get("/api/docs", async (c) => {
    const page = await docsPage();
    return c.html(page.html, 200, page.headers);
  });
