import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { RENDERER } from "../../workers/gateway/src/openapi/docs-page.ts";
import { copyVendoredRenderer, vendoredRenderer } from "../integrations/vendored-api-reference.ts";

/**
 * The site's build serves Scalar's renderer from its npm package, and the gateway's /api/docs page
 * names it: the two are deployed as different workers, so this checks they agree on the version, the
 * path and the file's hash (a mismatch would leave the page blank, the browser refusing the script).
 */

const SITE_DIR = fileURLToPath(new URL("..", import.meta.url));
const pinned = (
  JSON.parse(readFileSync(join(SITE_DIR, "package.json"), "utf8")) as {
    dependencies: Record<string, string>;
  }
).dependencies["@scalar/api-reference"];

const scratch: string[] = [];
afterEach(() => {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("the vendored API reference renderer", () => {
  it("is pinned to one exact version, the one installed", async () => {
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
    expect((await vendoredRenderer(SITE_DIR)).version).toBe(pinned);
  });

  it("is the version, path and file the gateway's docs page names", async () => {
    const renderer = await vendoredRenderer(SITE_DIR);
    expect(RENDERER.version).toBe(renderer.version);
    expect(RENDERER.src).toBe(`/${renderer.servedPath}`);
    // On an upgrade, this message gives the value docs-page.ts needs.
    expect(RENDERER.integrity, `docs-page.ts needs integrity "${renderer.integrity}"`).toBe(renderer.integrity);
  });

  it("is copied byte for byte to its versioned path under the build's client folder", async () => {
    const clientDir = mkdtempSync(join(tmpdir(), "site-client-"));
    scratch.push(clientDir);
    const renderer = await vendoredRenderer(SITE_DIR);
    const written = await copyVendoredRenderer(renderer, clientDir);
    expect(written).toBe(join(clientDir, "_vendor", `scalar-api-reference-${renderer.version}`, "standalone.js"));
    expect(readFileSync(written).equals(readFileSync(renderer.source))).toBe(true);
  });

  it("fails the build, naming the package, where it is not installed", async () => {
    const elsewhere = mkdtempSync(join(tmpdir(), "no-site-"));
    scratch.push(elsewhere);
    await expect(vendoredRenderer(elsewhere)).rejects.toThrow(/@scalar\/api-reference/);
  });
});
