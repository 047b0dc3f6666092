// `npm run gateway:route-scopes`: rebuilds workers/gateway/src/auth/route-scopes.generated.ts from the
// merged OpenAPI document (built in-process from the workers' code, as the API client is). Commit it.
import { writeFile } from "node:fs/promises";
import { relative } from "node:path";
import { buildMergedDocument } from "../../../packages/api-client/generator/merged-document.ts";
import { renderRouteScopes, ROUTE_SCOPES_FILE, routeScopesOf } from "./route-scopes.ts";

await writeFile(ROUTE_SCOPES_FILE, await renderRouteScopes(routeScopesOf(await buildMergedDocument())));
console.log(`wrote ${relative(process.cwd(), ROUTE_SCOPES_FILE)}`);
