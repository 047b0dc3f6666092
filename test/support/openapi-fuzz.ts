/**
 * Reading an OpenAPI 3.1 document to fuzz it: the string fields each operation declares (path and
 * query parameters, JSON body properties, nested ones and array items included), and a value that
 * matches a schema, to fill the fields not under test. Only as much of JSON Schema as this API's
 * documents use ($ref, allOf/anyOf/oneOf, type arrays with null, enum, default, example, format,
 * minLength, minimum, minItems); a schema it cannot fill gets a plain string, and the test reports
 * what answered.
 */

export interface Schema {
  readonly $ref?: string;
  readonly type?: string | readonly string[];
  readonly format?: string;
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly default?: unknown;
  readonly example?: unknown;
  readonly minLength?: number;
  readonly minimum?: number;
  readonly minItems?: number;
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly required?: readonly string[];
  readonly items?: Schema;
  readonly allOf?: readonly Schema[];
  readonly anyOf?: readonly Schema[];
  readonly oneOf?: readonly Schema[];
}

export interface Parameter {
  readonly name: string;
  readonly in: "path" | "query" | "header" | "cookie";
  readonly required?: boolean;
  readonly schema: Schema;
}

export interface Operation {
  readonly operationId?: string;
  readonly parameters?: readonly Parameter[];
  readonly requestBody?: { readonly required?: boolean; readonly content: Record<string, { schema: Schema }> };
  readonly responses: Record<string, unknown>;
  readonly security?: readonly unknown[];
}

export interface OpenApiDocument {
  readonly paths: Record<string, Record<string, Operation>>;
  readonly components?: { readonly schemas?: Record<string, Schema> };
}

/** A string field of an operation: where it goes, and the path a field error names it by. */
export interface StringField {
  readonly in: "path" | "query" | "json";
  /** Path parameter or query name; for a body field, its property path (array items as 0). */
  readonly path: readonly (string | number)[];
  /** As the API's field errors name it: `param.key`, `query.q`, `json.parts.0.etag`. */
  readonly errorPath: string;
  /** A value that passes the field's own schema, to build the bad one from. */
  readonly sample: string;
}

const HTTP_METHODS = ["get", "put", "post", "delete", "patch"] as const;

export function operationsOf(document: OpenApiDocument) {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    HTTP_METHODS.filter((method) => item[method]).map((method) => ({
      method,
      path,
      operation: item[method] as Operation,
    })),
  );
}

export function resolve(document: OpenApiDocument, schema: Schema): Schema {
  let current = schema;
  for (let hops = 0; current.$ref && hops < 10; hops += 1) {
    const name = current.$ref.replace("#/components/schemas/", "");
    const found = document.components?.schemas?.[name];
    if (!found) throw new Error(`no component ${current.$ref}`);
    current = found;
  }
  // allOf of a reference and a description (how zod-openapi documents `.openapi({...})` on a ref).
  if (current.allOf?.length) {
    return current.allOf
      .map((part) => resolve(document, part))
      .reduce<Schema>((merged, part) => ({ ...merged, ...part }), {});
  }
  const alternatives = current.anyOf ?? current.oneOf;
  if (alternatives?.length) {
    const usable = alternatives.map((part) => resolve(document, part)).find((part) => !typesOf(part).includes("null"));
    return usable ?? resolve(document, alternatives[0] as Schema);
  }
  return current;
}

function typesOf(schema: Schema): string[] {
  if (schema.type === undefined) return schema.properties ? ["object"] : [];
  return typeof schema.type === "string" ? [schema.type] : [...schema.type];
}

function isType(schema: Schema, type: string): boolean {
  return typesOf(schema).includes(type);
}

/** Values for string fields whose patterns a generic filler would not meet, by field name. */
const KNOWN_STRINGS: Record<string, string> = {
  slug: "fuzz-slug",
  language: "en",
  locale: "en",
  timeZone: "Europe/Berlin",
  contentType: "video/mp4",
  sessionId: "cs_test_fuzz",
  roleClaim: "realm_access.roles",
  key: "cover.png",
};

function sampleString(schema: Schema, name: string): string {
  if (schema.enum?.length) return String(schema.enum[0]);
  if (typeof schema.const === "string") return schema.const;
  if (typeof schema.default === "string" && schema.default.length >= (schema.minLength ?? 1)) return schema.default;
  if (typeof schema.example === "string") return schema.example;
  const known = KNOWN_STRINGS[name];
  if (known) return known;
  switch (schema.format) {
    case "uuid":
      return crypto.randomUUID();
    case "email":
      return `fuzz-${crypto.randomUUID()}@example.com`;
    case "uri":
    case "url":
      return "https://fuzz.example/a.png";
    case "date-time":
      return new Date().toISOString();
  }
  return "fuzz text".padEnd(schema.minLength ?? 0, "x");
}

/** A value that matches the schema, with only its required properties. */
export function sampleOf(document: OpenApiDocument, schema: Schema, name = ""): unknown {
  const resolved = resolve(document, schema);
  if (resolved.enum?.length) return resolved.enum[0];
  if (resolved.const !== undefined) return resolved.const;
  if (isType(resolved, "object")) {
    return Object.fromEntries(
      (resolved.required ?? []).map((property) => [
        property,
        sampleOf(document, resolved.properties?.[property] ?? {}, property),
      ]),
    );
  }
  if (isType(resolved, "array")) {
    return Array.from({ length: Math.max(resolved.minItems ?? 0, 0) }, () =>
      sampleOf(document, resolved.items ?? {}, name),
    );
  }
  if (isType(resolved, "integer") || isType(resolved, "number")) {
    // The example first: a rule across fields (a currency's minimum amount) may want more than `minimum`.
    if (typeof resolved.example === "number") return resolved.example;
    if (typeof resolved.default === "number") return resolved.default;
    return Math.max(resolved.minimum ?? 1, 1);
  }
  if (isType(resolved, "boolean")) return false;
  if (isType(resolved, "string")) return sampleString(resolved, name);
  if (isType(resolved, "null")) return null;
  return sampleString(resolved, name);
}

/** Every string field of a JSON body schema, nested objects and the first item of arrays included. */
function bodyStringFields(
  document: OpenApiDocument,
  schema: Schema,
  path: readonly (string | number)[],
  depth = 0,
): StringField[] {
  if (depth > 6) return [];
  const resolved = resolve(document, schema);
  const name = String(path.findLast((part) => typeof part === "string") ?? "");
  if (isType(resolved, "string")) {
    return [{ in: "json", path, errorPath: ["json", ...path].join("."), sample: sampleString(resolved, name) }];
  }
  if (isType(resolved, "array") && resolved.items) {
    return bodyStringFields(document, resolved.items, [...path, 0], depth + 1);
  }
  if (isType(resolved, "object")) {
    return Object.entries(resolved.properties ?? {}).flatMap(([property, child]) =>
      bodyStringFields(document, child, [...path, property], depth + 1),
    );
  }
  return [];
}

export function jsonBodySchemaOf(operation: Operation): Schema | undefined {
  return operation.requestBody?.content["application/json"]?.schema;
}

/** The string fields of an operation a client can send a NUL in: path and query parameters and JSON body fields. */
export function stringFieldsOf(document: OpenApiDocument, operation: Operation): StringField[] {
  const parameters = (operation.parameters ?? [])
    .filter((parameter) => parameter.in === "path" || parameter.in === "query")
    .filter((parameter) => isType(resolve(document, parameter.schema), "string"))
    .map((parameter): StringField => ({
      in: parameter.in as "path" | "query",
      path: [parameter.name],
      errorPath: `${parameter.in === "path" ? "param" : "query"}.${parameter.name}`,
      sample: sampleString(resolve(document, parameter.schema), parameter.name),
    }));
  const body = jsonBodySchemaOf(operation);
  return [...parameters, ...(body ? bodyStringFields(document, body, []) : [])];
}

/**
 * A JSON body that matches the schema except for `value` at `path`: the schema's sample, with the
 * objects and array items on the way filled in from their own schemas (so that a field deep in an
 * array item comes with the item's other required fields).
 */
export function bodyWith(
  document: OpenApiDocument,
  schema: Schema,
  path: readonly (string | number)[],
  value: unknown,
  base: unknown = sampleOf(document, schema),
): unknown {
  if (path.length === 0) return value;
  const resolved = resolve(document, schema);
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  if (typeof head === "number") {
    const items = resolved.items ?? {};
    const array = Array.isArray(base) ? [...(base as unknown[])] : [];
    array[head] = bodyWith(document, items, rest, value, array[head] ?? sampleOf(document, items));
    return array;
  }
  const object = { ...(base !== null && typeof base === "object" ? (base as Record<string, unknown>) : {}) };
  const child = resolved.properties?.[head] ?? {};
  object[head] = bodyWith(document, child, rest, value, object[head] ?? sampleOf(document, child, head));
  return object;
}
