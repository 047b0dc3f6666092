/* global process, console, fetch, setTimeout, TextDecoderStream, URLSearchParams */
// Reads the platform's event feed (docs/integrators.md#event-feed) from where the last run stopped:
// pages through everything after the saved cursor, saving the cursor after each page, then with
// --follow stays on the live Server-Sent Events stream, resuming with Last-Event-ID whenever it ends.
// Needs an API key with events:read (or an admin's token).
//
//   PLATFORM_API_KEY=elk_… node docs/examples/read-event-feed.mjs
//   PLATFORM_API_KEY=elk_… FEED_TYPES=USER_CREATED,COURSE_PURCHASED node docs/examples/read-event-feed.mjs --follow
//
// FEED_CURSOR_FILE (default ./event-feed.cursor) holds the cursor of the last event handled; without
// it the feed is read from the start. FEED_PAGE_SIZE: 1 to 500 (default 100). Each event is handled
// before its cursor is saved, so a crash means an event seen again, never one missed: handle events
// so that seeing one twice does no harm (by its `id`).
import { readFile, rename, writeFile } from "node:fs/promises";

const PLATFORM_URL = (process.env.PLATFORM_URL ?? "http://127.0.0.1:8787").replace(/\/+$/, "");
const TOKEN = process.env.PLATFORM_API_KEY ?? process.env.ADMIN_ACCESS_TOKEN;
const CURSOR_FILE = process.env.FEED_CURSOR_FILE ?? "event-feed.cursor";
const TYPES = process.env.FEED_TYPES;
const PAGE_SIZE = process.env.FEED_PAGE_SIZE ?? "100";

/** A refusal (401 revoked key, 403 no events:read, 400 bad cursor) that coming back would not change. */
class Refused extends Error {}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function loadCursor() {
  try {
    return (await readFile(CURSOR_FILE, "utf8")).trim() || "0";
  } catch (error) {
    if (error.code !== "ENOENT") throw error;
    console.log(`no cursor file at ${CURSOR_FILE}: reading from the start`);
    return "0";
  }
}

/** Written whole or not at all (a new file renamed over the old), so a crash never leaves half a cursor. */
async function saveCursor(cursor) {
  await writeFile(`${CURSOR_FILE}.tmp`, `${cursor}\n`);
  await rename(`${CURSOR_FILE}.tmp`, CURSOR_FILE);
}

/** What the integration does with an event: here, print it. */
function handle(event) {
  console.log(`event cursor=${event.cursor} type=${event.type} id=${event.id} aggregateId=${event.aggregateId}`);
}

/** Every event after `cursor`, page by page; answers where to carry on from. */
async function catchUp(cursor) {
  let read = 0;
  for (;;) {
    const params = new URLSearchParams({ after: cursor, limit: PAGE_SIZE });
    if (TYPES) params.set("types", TYPES);
    const response = await fetch(`${PLATFORM_URL}/api/events?${params}`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    const page = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(`GET /api/events answered ${response.status}: ${page.detail ?? "no detail"}`);
    page.items.forEach(handle);
    read += page.items.length;
    // nextCursor moves on even when a type filter left nothing on the page: saving it saves re-reading.
    cursor = page.nextCursor;
    await saveCursor(cursor);
    if (!page.hasMore) break;
  }
  console.log(`caught up: ${read} event(s) read, cursor ${cursor} saved to ${CURSOR_FILE}`);
  return cursor;
}

/**
 * The live stream, for ever. Each SSE event is `id: <cursor>`, `event: <type>`, `data: <JSON>`,
 * ended by a blank line; lines starting with `:` are heartbeats. The platform ends a stream after
 * a few minutes and says when to come back (`retry:`); coming back with Last-Event-ID resumes
 * right after the last event handled, with nothing missed or repeated.
 */
async function follow(cursor) {
  let retryMs = 3000;
  for (;;) {
    console.log(`following the live stream after cursor ${cursor} (Last-Event-ID)`);
    try {
      const query = TYPES ? `?${new URLSearchParams({ types: TYPES })}` : "";
      const response = await fetch(`${PLATFORM_URL}/api/events/stream${query}`, {
        headers: { authorization: `Bearer ${TOKEN}`, accept: "text/event-stream", "last-event-id": cursor },
      });
      if (response.status >= 400 && response.status < 500) {
        throw new Refused(`GET /api/events/stream answered ${response.status}`);
      }
      if (!response.ok) throw new Error(`GET /api/events/stream answered ${response.status}`);
      let buffered = "";
      let fields = {};
      for await (const text of response.body.pipeThrough(new TextDecoderStream())) {
        buffered += text;
        const lines = buffered.split(/\r\n|\r|\n/);
        buffered = lines.pop() ?? "";
        for (const line of lines) {
          if (line === "") {
            if (fields.data !== undefined) {
              handle({ cursor: fields.id, ...JSON.parse(fields.data) });
              if (fields.id) {
                cursor = fields.id;
                await saveCursor(cursor);
              }
            }
            fields = {};
          } else if (!line.startsWith(":")) {
            const colon = line.indexOf(":");
            const name = colon === -1 ? line : line.slice(0, colon);
            const value = colon === -1 ? "" : line.slice(colon + 1).replace(/^ /, "");
            if (name === "data") fields.data = fields.data === undefined ? value : `${fields.data}\n${value}`;
            else if (name === "id") fields.id = value;
            else if (name === "retry" && /^\d+$/.test(value)) retryMs = Number(value);
          }
        }
      }
      console.log(`the stream ended; coming back in ${retryMs} ms`);
    } catch (error) {
      if (error instanceof Refused) throw error;
      console.log(`the stream failed (${error.message}); coming back in ${retryMs} ms`);
    }
    await sleep(retryMs);
  }
}

async function main() {
  if (!TOKEN) throw new Error("Set PLATFORM_API_KEY (a key with events:read) or ADMIN_ACCESS_TOKEN.");
  const start = await loadCursor();
  console.log(`reading the feed after cursor ${start}${TYPES ? ` (types ${TYPES})` : ""}`);
  const cursor = await catchUp(start);
  if (process.argv.includes("--follow")) await follow(cursor);
}

main().catch((error) => {
  console.error(error.message);
  process.exitCode = 1;
});
