/**
 * `/api/docs`: a small page in which Scalar's API reference renders `/api/openapi.json`. The
 * renderer (4 MB) is not in the gateway's bundle: the site's build copies it out of its npm package
 * into the site's static assets (site/integrations/vendored-api-reference.ts), so the browser loads
 * it from this origin, and the page works wherever the platform does, with no CDN to reach. It is
 * still pinned to one version and checked against its hash (SRI): the page and the file are deployed
 * with different workers, and a file other than the one this page was written for is refused, not run.
 * The page's Content-Security-Policy lets it load from and talk to this origin only: even a
 * compromised renderer could not send anything elsewhere.
 */
export const OPENAPI_DOCUMENT_URL = "/api/openapi.json";

/**
 * Must name the version site/package.json pins (site/test/vendored-api-reference.test.ts checks both
 * and the hash). To upgrade: change the pin there, `npm install`, then the version and `integrity`
 * here (the test prints the new file's).
 */
const RENDERER_VERSION = "1.72.1";
export const RENDERER = {
  version: RENDERER_VERSION,
  src: `/_vendor/scalar-api-reference-${RENDERER_VERSION}/standalone.js`,
  integrity: "sha384-U11tb2XnKvmwt8RlTvnwUnYgrN+ur4Xyh9htLhjajWNR/Oyl5AX5DEz00qRmlrmK",
};

/**
 * Nothing that reaches another origin: no web fonts from fonts.scalar.com (the system's fonts
 * instead), no link to Scalar's hosted API client, no telemetry, and none of Scalar's hosted extras
 * (AI agent, MCP, developer toolbar, which talk to scalar.com). The CSP below refuses them anyway;
 * switched off, they neither show nor fail.
 */
const configuration = {
  url: OPENAPI_DOCUMENT_URL,
  withDefaultFonts: false,
  hideClientButton: true,
  telemetry: false,
  persistAuth: false,
  showDeveloperTools: "never",
  agent: { disabled: true },
  mcp: { disabled: true },
};
/**
 * Runs before the renderer. The zod inside it probes whether it may compile validators with
 * `Function('')`, which `script-src` refuses (a CSP violation on every visit): `jitless` tells it not
 * to try (zod's own switch for CSP pages, read from this global by every copy of zod). The reference
 * starts once the renderer, the next script, has run.
 */
const START_SCRIPT =
  "(globalThis.__zod_globalConfig ??= {}).jitless = true;" +
  `addEventListener("DOMContentLoaded", () => Scalar.createApiReference("#reference", ${JSON.stringify(configuration)}));`;

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Edge Learning API reference</title>
    <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
    <link rel="alternate" type="application/json" href="${OPENAPI_DOCUMENT_URL}" title="OpenAPI 3.1 document" />
  </head>
  <body>
    <noscript>
      <p>The interactive reference needs JavaScript. The API is described by its
      <a href="${OPENAPI_DOCUMENT_URL}">OpenAPI 3.1 document</a>.</p>
    </noscript>
    <div id="reference"></div>
    <script>${START_SCRIPT}</script>
    <script src="${RENDERER.src}" integrity="${RENDERER.integrity}"></script>
  </body>
</html>
`;

async function sha256Base64(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  return btoa(String.fromCharCode(...digest));
}

let policy: Promise<string> | undefined;

/** Allows scripts of this origin and the one inline script (by hash); no eval, no other origin at all. */
function contentSecurityPolicy(): Promise<string> {
  policy ??= sha256Base64(START_SCRIPT).then((hash) =>
    [
      "default-src 'none'",
      `script-src 'self' 'sha256-${hash}'`,
      // The renderer injects its styles; fonts are the system's (no font-src: default-src refuses them).
      "style-src 'unsafe-inline'",
      "img-src 'self' data:",
      "connect-src 'self'",
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'none'",
    ].join("; "),
  );
  return policy;
}

export async function docsPage(): Promise<{ html: string; headers: Record<string, string> }> {
  return {
    html: PAGE,
    headers: {
      "content-security-policy": await contentSecurityPolicy(),
      "x-content-type-options": "nosniff",
      "referrer-policy": "no-referrer",
      "cache-control": "public, max-age=300",
    },
  };
}
