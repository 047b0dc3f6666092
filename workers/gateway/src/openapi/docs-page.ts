/**
 * `/api/docs`: a small page in which Scalar's API reference renders `/api/openapi.json`. The
 * renderer (4 MB) is not bundled: the browser loads it from a CDN, pinned to one version and
 * checked against its hash (SRI), so a changed file is refused rather than run on our origin.
 * The page's Content-Security-Policy lets it talk to this origin only (`connect-src 'self'`):
 * even a compromised renderer could not send anything elsewhere.
 */
export const OPENAPI_DOCUMENT_URL = "/api/openapi.json";

/** To upgrade: change the version and set the integrity to the new file's `sha384` (`openssl dgst -sha384 -binary | base64`). */
const RENDERER = {
  src: "https://cdn.jsdelivr.net/npm/@scalar/api-reference@1.72.1/dist/browser/standalone.js",
  integrity: "sha384-U11tb2XnKvmwt8RlTvnwUnYgrN+ur4Xyh9htLhjajWNR/Oyl5AX5DEz00qRmlrmK",
};

/** Scalar's hosted extras (AI agent, MCP, developer toolbar) talk to scalar.com, which the CSP refuses anyway. */
const configuration = {
  url: OPENAPI_DOCUMENT_URL,
  telemetry: false,
  persistAuth: false,
  showDeveloperTools: "never",
  agent: { disabled: true },
  mcp: { disabled: true },
};
const START_SCRIPT = `Scalar.createApiReference("#reference", ${JSON.stringify(configuration)});`;

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Edge Learning API reference</title>
    <link rel="alternate" type="application/json" href="${OPENAPI_DOCUMENT_URL}" title="OpenAPI 3.1 document" />
  </head>
  <body>
    <noscript>
      <p>The interactive reference needs JavaScript. The API is described by its
      <a href="${OPENAPI_DOCUMENT_URL}">OpenAPI 3.1 document</a>.</p>
    </noscript>
    <div id="reference"></div>
    <script src="${RENDERER.src}" integrity="${RENDERER.integrity}" crossorigin="anonymous"></script>
    <script>${START_SCRIPT}</script>
  </body>
</html>
`;

async function sha256Base64(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  return btoa(String.fromCharCode(...digest));
}

let policy: Promise<string> | undefined;

/** Allows exactly the renderer and the one inline script (by hash); no eval, no other origin to talk to. */
function contentSecurityPolicy(): Promise<string> {
  policy ??= sha256Base64(START_SCRIPT).then((hash) =>
    [
      "default-src 'none'",
      `script-src ${new URL(RENDERER.src).origin} 'sha256-${hash}'`,
      // The renderer injects its styles and uses its own web fonts.
      "style-src 'unsafe-inline'",
      "font-src https://fonts.scalar.com",
      "img-src 'self' data: https:",
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
