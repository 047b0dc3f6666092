import type { JsonObject, OpenApiDocument, OpenApiTag } from "./document.ts";

/** One document to merge and who it comes from (named in errors). */
export interface DocumentSource {
  readonly name: string;
  readonly document: OpenApiDocument;
  /**
   * The paths this source may document: those the gateway actually routes to it, e.g.
   * `/api/auth` (itself and everything under it). A path outside them would be documented but
   * unreachable, so it is an error. Omitted: any path.
   */
  readonly pathPrefixes?: readonly string[];
}

export interface MergeOptions {
  readonly info: { readonly title: string; readonly version: string; readonly description?: string };
  /** The one `servers` entry: the origin the document was asked from. */
  readonly serverUrl: string;
}

/** The sources contradict each other (or one is not 3.1): a deployment mistake, not a request error. */
export class OpenApiMergeError extends Error {
  override name = "OpenApiMergeError";
}

/**
 * Merges several OpenAPI 3.1 documents into one: the union of their paths (a path documented
 * twice is an error), their components and tags (the same name twice is fine only when both say
 * the same thing, as every worker's shared `Problem` schema does), under one `info` and one
 * server. Each source's own `info` and `servers` are dropped.
 */
export function mergeOpenApiDocuments(sources: readonly DocumentSource[], options: MergeOptions): OpenApiDocument {
  const paths: Record<string, JsonObject> = {};
  const pathOwners = new Map<string, string>();
  const components: Record<string, Record<string, unknown>> = {};
  const componentOwners = new Map<string, string>();
  const tags = new Map<string, { tag: OpenApiTag; owner: string }>();

  for (const { name, document, pathPrefixes } of sources) {
    if (!/^3\.1\.\d+$/.test(document.openapi)) {
      throw new OpenApiMergeError(
        `The ${name} document is OpenAPI ${document.openapi}; only 3.1.x documents can be merged.`,
      );
    }
    for (const [path, item] of Object.entries(document.paths ?? {})) {
      if (pathPrefixes && !pathPrefixes.some((prefix) => path === prefix || path.startsWith(`${prefix}/`))) {
        throw new OpenApiMergeError(`The ${name} document has ${path}, outside ${pathPrefixes.join(", ")}.`);
      }
      const owner = pathOwners.get(path);
      if (owner !== undefined) throw new OpenApiMergeError(`Both the ${owner} and the ${name} documents have ${path}.`);
      pathOwners.set(path, name);
      paths[path] = item;
    }
    for (const [kind, entries] of Object.entries(document.components ?? {})) {
      for (const [key, component] of Object.entries(entries)) {
        const merged = (components[kind] ??= {});
        const id = `components.${kind}.${key}`;
        const owner = componentOwners.get(id);
        if (owner !== undefined && !sameJson(merged[key], component)) {
          throw new OpenApiMergeError(`${id} differs between the ${owner} and the ${name} documents.`);
        }
        if (owner === undefined) {
          componentOwners.set(id, name);
          merged[key] = component;
        }
      }
    }
    for (const tag of document.tags ?? []) {
      const known = tags.get(tag.name);
      if (known && !sameJson(known.tag, tag)) {
        throw new OpenApiMergeError(`Tag ${tag.name} differs between the ${known.owner} and the ${name} documents.`);
      }
      if (!known) tags.set(tag.name, { tag, owner: name });
    }
  }

  return {
    openapi: "3.1.0",
    info: { ...options.info },
    servers: [{ url: options.serverUrl }],
    paths,
    ...(Object.keys(components).length > 0 && { components }),
    ...(tags.size > 0 && { tags: [...tags.values()].map(({ tag }) => tag) }),
  };
}

/** Structural equality of JSON values; key order does not matter. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const aKeys = Object.keys(a);
  const bKeys = Object.keys(b);
  if (aKeys.length !== bKeys.length) return false;
  const bRecord = b as Record<string, unknown>;
  const aRecord = a as Record<string, unknown>;
  return aKeys.every((key) => Object.hasOwn(bRecord, key) && sameJson(aRecord[key], bRecord[key]));
}
