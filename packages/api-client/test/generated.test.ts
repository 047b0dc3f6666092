import { readFile } from "node:fs/promises";
import { beforeAll, describe, expect, it } from "vitest";
import { buildMergedDocument, DOCUMENT_ORIGIN } from "../generator/merged-document.ts";
import { DOCUMENT_FILE, renderFiles, SCHEMA_FILE, type GeneratedFiles } from "../generator/render.ts";

/**
 * The checked-in client is the API as the code declares it now: both generated files are built
 * again in memory (the workers' and the gateway's documents, merged in-process) and compared with
 * the committed ones. That the merged document is valid OpenAPI 3.1 is checked against the
 * running gateway by test/platform/openapi.test.ts; the client driving the stack, by
 * test/platform/api-client.test.ts.
 */

const REGENERATE = "the generated API client is stale: run `npm run api-client:generate` and commit the result";

let fresh: GeneratedFiles;

beforeAll(async () => {
  fresh = await renderFiles(await buildMergedDocument());
}, 60_000);

describe("the generated API client", () => {
  it("has an openapi.json that is the gateway's merged document of the current code", async () => {
    expect(await readFile(DOCUMENT_FILE, "utf8"), REGENERATE).toBe(fresh.document);
  });

  it("has a schema.ts generated from that document", async () => {
    expect(await readFile(SCHEMA_FILE, "utf8"), REGENERATE).toBe(fresh.schema);
  });

  it("merges every domain worker's paths with the gateway's own, under the platform's title", () => {
    const document = JSON.parse(fresh.document) as {
      info: { title: string };
      servers: { url: string }[];
      paths: object;
    };
    expect(document.info.title).toBe("Edge Learning API");
    expect(document.servers).toEqual([{ url: DOCUMENT_ORIGIN }]);
    const paths = Object.keys(document.paths);
    for (const service of ["auth", "users", "courses", "payments", "progress", "notifications", "events"]) {
      expect(
        paths.some((path) => path.startsWith(`/api/${service}/`)),
        service,
      ).toBe(true);
    }
    expect(paths).toEqual(expect.arrayContaining(["/api/health", "/api/live/ticket", "/.well-known/jwks.json"]));
  });

  it("sorts keys, so declaring a route elsewhere in a worker does not reorder the files", () => {
    const keysInOrder = (text: string) => Object.keys(JSON.parse(text).paths as object);
    const paths = keysInOrder(fresh.document);
    expect(paths).toEqual([...paths].sort());
  });
});
