import { createHash } from "node:crypto";
import { copyFile, mkdir, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { AstroIntegration } from "astro";

/**
 * Copies Scalar's API reference renderer (`@scalar/api-reference`, one self-contained 4 MB script) from
 * node_modules into the site's static assets at build time, so the gateway's `/api/docs` page loads it
 * from our own origin rather than a CDN that may be unreachable. The path carries the version: a new
 * version is a new URL, so the file can be cached for a year (public/_headers), and the gateway's page
 * names the exact version and hash it was written for (workers/gateway/src/openapi/docs-page.ts).
 * The file is copied byte for byte (its hash is the one the package was published with); it is never
 * committed.
 */

const PACKAGE = "@scalar/api-reference";

export interface VendoredRenderer {
  readonly version: string;
  /** The file in node_modules. */
  readonly source: string;
  /** Where it is served, relative to the site's root: `_vendor/scalar-api-reference-<version>/standalone.js`. */
  readonly servedPath: string;
  /** `sha384-…`, as a page's `integrity` attribute takes it. */
  readonly integrity: string;
}

/** The installed renderer, as seen from the package whose dependency it is (`root`, the site's folder). */
export async function vendoredRenderer(root: string): Promise<VendoredRenderer> {
  const require = createRequire(join(root, "package.json"));
  // The package exports no package.json; its entry point is dist/index.js, beside dist/browser/.
  const distDir = dirname(require.resolve(PACKAGE));
  const manifest: unknown = JSON.parse(await readFile(join(distDir, "..", "package.json"), "utf8"));
  const version = (manifest as { version?: unknown }).version;
  if (typeof version !== "string" || !/^\d+\.\d+\.\d+$/.test(version)) {
    throw new Error(`${PACKAGE}: no plain version in its package.json (found ${JSON.stringify(version)})`);
  }
  const source = join(distDir, "browser", "standalone.js");
  const digest = createHash("sha384")
    .update(await readFile(source))
    .digest("base64");
  return {
    version,
    source,
    servedPath: `_vendor/scalar-api-reference-${version}/standalone.js`,
    integrity: `sha384-${digest}`,
  };
}

/** Copies the renderer under the build's client folder (what Workers Static Assets serves); answers the file written. */
export async function copyVendoredRenderer(renderer: VendoredRenderer, clientDir: string): Promise<string> {
  const target = join(clientDir, renderer.servedPath);
  await mkdir(dirname(target), { recursive: true });
  await copyFile(renderer.source, target);
  return target;
}

export function vendoredApiReference(): AstroIntegration {
  let renderer: Promise<VendoredRenderer> | undefined;
  return {
    name: "vendored-api-reference",
    hooks: {
      // Looked up before the build starts, so a missing package fails it before anything is written.
      "astro:config:done": async ({ config }) => {
        renderer = vendoredRenderer(fileURLToPath(config.root));
        await renderer;
      },
      "astro:build:done": async ({ dir, logger }) => {
        if (!renderer) throw new Error("vendored-api-reference: astro:config:done did not run");
        const found = await renderer;
        await copyVendoredRenderer(found, fileURLToPath(dir));
        logger.info(`${PACKAGE} ${found.version} → /${found.servedPath}`);
      },
    },
  };
}
