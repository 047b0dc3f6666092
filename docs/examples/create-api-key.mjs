/* global process, console, fetch */
// Makes an API key with the scopes you choose (docs/integrators.md#api-keys). Only an admin can:
// pass an admin's access token, or an admin's email and password to sign in with.
//
//   ADMIN_ACCESS_TOKEN=eyJ… node docs/examples/create-api-key.mjs courses:read enrollments:write
//   ADMIN_EMAIL=you@example.com ADMIN_PASSWORD=… API_KEY_NAME="CRM sync" node docs/examples/create-api-key.mjs
//
// Scopes come from the arguments, else API_KEY_SCOPES (comma-separated), else courses:read.
// The key is printed once, as the platform answers it once: store it where your secrets live.

const PLATFORM_URL = (process.env.PLATFORM_URL ?? "http://127.0.0.1:8787").replace(/\/+$/, "");
const name = process.env.API_KEY_NAME ?? "example integration";
const scopes =
  process.argv.length > 2
    ? process.argv.slice(2)
    : (process.env.API_KEY_SCOPES ?? "courses:read")
        .split(",")
        .map((scope) => scope.trim())
        .filter(Boolean);

/** POSTs JSON and answers the parsed body; a non-2xx answer (problem+json) stops the script. */
async function postJson(path, body, token) {
  const response = await fetch(`${PLATFORM_URL}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token && { authorization: `Bearer ${token}` }) },
    body: JSON.stringify(body),
  });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new Error(`POST ${path} answered ${response.status}: ${answer.detail ?? answer.title ?? "no detail"}`);
  }
  return answer;
}

/** The admin's access token: given, or got by signing in (tokens live 15 minutes; a key lives until revoked). */
async function adminToken() {
  if (process.env.ADMIN_ACCESS_TOKEN) return process.env.ADMIN_ACCESS_TOKEN;
  const { ADMIN_EMAIL: email, ADMIN_PASSWORD: password } = process.env;
  if (!email || !password) {
    throw new Error("Set ADMIN_ACCESS_TOKEN, or ADMIN_EMAIL and ADMIN_PASSWORD, of an admin's account.");
  }
  const tokens = await postJson("/api/auth/login", { email, password });
  console.log(`Signed in as ${email}.`);
  return tokens.accessToken;
}

async function main() {
  const created = await postJson("/api/auth/api-keys", { name, scopes }, await adminToken());
  console.log(`Created API key "${created.name}" (id ${created.id}, prefix ${created.prefix}).`);
  console.log(`Scopes: ${created.scopes.join(", ")}`);
  console.log("The key is shown only now; keep it secret (it matches elk_[0-9a-f]{32}_[A-Za-z0-9_-]{43}):");
  console.log(`PLATFORM_API_KEY=${created.key}`);
}

main().catch((error) => {
  console.error(error.message);
  process.exitCode = 1;
});
