// `npm run api-client:generate`: rebuilds packages/api-client/openapi.json (the merged OpenAPI
// document, built in-process from the workers' code) and src/schema.ts (its types). Commit both.
import { writeFile } from "node:fs/promises";
import { relative } from "node:path";
import { buildMergedDocument } from "../generator/merged-document.ts";
import { DOCUMENT_FILE, renderFiles, SCHEMA_FILE } from "../generator/render.ts";

const files = await renderFiles(await buildMergedDocument());
await writeFile(DOCUMENT_FILE, files.document);
await writeFile(SCHEMA_FILE, files.schema);
for (const file of [DOCUMENT_FILE, SCHEMA_FILE]) console.log(`wrote ${relative(process.cwd(), file)}`);
