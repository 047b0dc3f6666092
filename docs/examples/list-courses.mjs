/* global process, console, fetch, Buffer, URLSearchParams */
// Pages through the course catalog with an API key (scope courses:read), then shows the same key
// exchanged for a short-lived OAuth 2.0 client-credentials token (docs/integrators.md#oauth-20-client-credentials),
// for tooling that expects OAuth.
//
//   PLATFORM_API_KEY=elk_… node docs/examples/list-courses.mjs
//   PLATFORM_API_KEY=elk_… COURSES_QUERY=postgres COURSES_PAGE_SIZE=5 node docs/examples/list-courses.mjs

const PLATFORM_URL = (process.env.PLATFORM_URL ?? "http://127.0.0.1:8787").replace(/\/+$/, "");
const API_KEY = process.env.PLATFORM_API_KEY;
const query = process.env.COURSES_QUERY;
const pageSize = process.env.COURSES_PAGE_SIZE ?? "20";

async function getJson(path, token) {
  const response = await fetch(`${PLATFORM_URL}${path}`, { headers: { authorization: `Bearer ${token}` } });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(`GET ${path} answered ${response.status}: ${answer.detail ?? "no detail"}`);
  return answer;
}

/** One page of the catalog: `cursor` is the `nextCursor` of the page before (none for the first). */
function catalogPath(cursor) {
  const params = new URLSearchParams({ limit: pageSize });
  if (query) params.set("q", query);
  if (cursor) params.set("cursor", cursor);
  return `/api/courses?${params}`;
}

/** Every course of the catalog, page by page, until `nextCursor` is null. */
async function listAll(token) {
  const courses = [];
  let cursor = null;
  let page = 0;
  do {
    const answer = await getJson(catalogPath(cursor), token);
    page += 1;
    console.log(`page ${page}: ${answer.items.length} course(s)`);
    for (const course of answer.items) {
      console.log(`course ${course.id} ${course.slug} "${course.title}"`);
      courses.push(course);
    }
    cursor = answer.nextCursor;
  } while (cursor);
  return courses;
}

/**
 * RFC 6749 §4.4: the key is a client. Its id is the key up to the second underscore (`elk_<id>`),
 * its secret the rest, sent as HTTP Basic. The token lives 5 minutes; ask again when it expires.
 */
async function clientCredentialsToken(key) {
  const split = key.indexOf("_", "elk_".length);
  const [clientId, clientSecret] = [key.slice(0, split), key.slice(split + 1)];
  const basic = Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString("base64");
  const response = await fetch(`${PLATFORM_URL}/api/auth/oauth/token`, {
    method: "POST",
    headers: { authorization: `Basic ${basic}`, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "client_credentials", scope: "courses:read" }),
  });
  const answer = await response.json();
  // OAuth's errors are its own JSON ({error, error_description}), not problem+json.
  if (!response.ok) throw new Error(`token endpoint answered ${response.status}: ${answer.error_description}`);
  return answer;
}

async function main() {
  if (!API_KEY) throw new Error("Set PLATFORM_API_KEY to a key with courses:read (see create-api-key.mjs).");
  const courses = await listAll(API_KEY);
  console.log(`${courses.length} course(s) in all${query ? ` matching "${query}"` : ""}.`);

  const token = await clientCredentialsToken(API_KEY);
  console.log(`Exchanged the key for an access token: scope "${token.scope}", expires in ${token.expires_in} s.`);
  const first = await getJson(catalogPath(null), token.access_token);
  const same = first.items.every((course, index) => course.id === courses[index]?.id);
  console.log(`With the token, the first page has ${first.items.length} course(s)${same ? ", as with the key" : ""}.`);
}

main().catch((error) => {
  console.error(error.message);
  process.exitCode = 1;
});
