/**
 * The parts of an OpenAPI 3.1 document the gateway reads and writes. Kept loose on purpose:
 * the gateway passes the workers' operations and schemas through untouched, and bundling a
 * full OpenAPI type package (or zod) buys it nothing.
 */
export type JsonObject = { [key: string]: unknown };

export interface OpenApiTag {
  readonly name: string;
  readonly description?: string;
  readonly [key: string]: unknown;
}

export interface OpenApiDocument {
  readonly openapi: string;
  readonly info: { readonly title: string; readonly version: string; readonly description?: string };
  readonly servers?: readonly { readonly url: string; readonly description?: string }[];
  readonly paths?: Readonly<Record<string, JsonObject>>;
  readonly components?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly tags?: readonly OpenApiTag[];
  readonly [key: string]: unknown;
}

export function isOpenApiDocument(value: unknown): value is OpenApiDocument {
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as Record<string, unknown>;
  const info = candidate.info as Record<string, unknown> | undefined;
  return (
    typeof candidate.openapi === "string" &&
    typeof info === "object" &&
    info !== null &&
    typeof info.title === "string" &&
    typeof info.version === "string"
  );
}
