import { apiFetch } from "./api";

/** A course as listed by `GET /api/courses`. Only the fields the catalog page shows. */
export interface CourseSummary {
  id: string;
  title: string;
  /** The course's one-line summary. */
  description?: string;
}

export type CatalogResult = { ok: true; courses: CourseSummary[] } | { ok: false; reason: string };

const TIMEOUT_MS = 3000;

function toCourse(value: unknown): CourseSummary | null {
  if (!value || typeof value !== "object") return null;
  const v = value as Record<string, unknown>;
  const id = typeof v.id === "string" || typeof v.id === "number" ? String(v.id) : undefined;
  const title = typeof v.title === "string" ? v.title : undefined;
  if (!id || !title) return null;
  // The summary is the catalog's line of text; `description` is the author's Markdown, for the course page.
  const description = typeof v.summary === "string" && v.summary !== "" ? v.summary : undefined;
  return { id, title, description };
}

/** Accepts a bare array or an object wrapping the list in `courses`, `items` or `data`. */
function extractList(body: unknown): unknown[] | null {
  if (Array.isArray(body)) return body;
  if (body && typeof body === "object") {
    const b = body as Record<string, unknown>;
    for (const key of ["courses", "items", "data"]) {
      if (Array.isArray(b[key])) return b[key] as unknown[];
    }
  }
  return null;
}

/**
 * Fetches the catalog from the platform API for this visitor (through the gateway, api.ts).
 * Never throws: any failure (network, non-2xx, problem+json, unexpected shape) becomes
 * `{ ok: false }` so the page can render its "not available yet" state.
 */
export async function loadCatalog(visitorRequest: Request): Promise<CatalogResult> {
  let res: Response;
  try {
    res = await apiFetch(visitorRequest, "/api/courses", {
      headers: { accept: "application/json" },
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (err) {
    return { ok: false, reason: `request failed: ${err instanceof Error ? err.message : String(err)}` };
  }
  const type = res.headers.get("content-type") ?? "";
  if (!res.ok) {
    await res.body?.cancel();
    return { ok: false, reason: `API answered ${res.status}` };
  }
  if (!type.includes("json") || type.includes("problem+json")) {
    await res.body?.cancel();
    return { ok: false, reason: `API answered ${res.status} with ${type || "no content type"}` };
  }
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    return { ok: false, reason: "API answered with invalid JSON" };
  }
  const list = extractList(body);
  if (!list) return { ok: false, reason: "API answered with an unexpected shape" };
  return { ok: true, courses: list.map(toCourse).filter((c): c is CourseSummary => c !== null) };
}
