/* global process, console, fetch, Buffer */
// A webhook receiver (docs/integrators.md#webhooks): an HTTP server on 127.0.0.1 that checks each
// delivery's Standard Webhooks signature, answers 204 to a genuine one and 400 to anything else,
// and handles each delivery once, however often it comes (the platform retries a delivery that
// did not get a 2xx, with the same webhook-id).
//
//   # Subscribe this receiver (prints the endpoint's secret, then listens with it):
//   PLATFORM_API_KEY=elk_… node docs/examples/receive-webhooks.mjs --subscribe
//   # Or listen with the secret of an endpoint subscribed before:
//   WEBHOOK_SECRET=whsec_… node docs/examples/receive-webhooks.mjs
//
// Settings: WEBHOOK_PORT (default 4000; 0 picks a free one), WEBHOOK_EVENT_TYPES (comma-separated,
// default USER_CREATED), WEBHOOK_VERIFIER: `node-crypto` (default, no dependency: the algorithm in
// full) or `standardwebhooks` (the reference library, `npm install standardwebhooks`). Subscribing
// needs an API key with webhooks:manage and events:read (or ADMIN_ACCESS_TOKEN). The platform
// delivers only to https on a public host; `npm start` also allows http://127.0.0.1 for examples.
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";

const PLATFORM_URL = (process.env.PLATFORM_URL ?? "http://127.0.0.1:8787").replace(/\/+$/, "");
const PORT = Number(process.env.WEBHOOK_PORT ?? 4000);
const PATH = "/webhooks";
const EVENT_TYPES = (process.env.WEBHOOK_EVENT_TYPES ?? "USER_CREATED").split(",").map((type) => type.trim());
const VERIFIER = process.env.WEBHOOK_VERIFIER ?? "node-crypto";
const TOKEN = process.env.PLATFORM_API_KEY ?? process.env.ADMIN_ACCESS_TOKEN;
/** How far a delivery's timestamp may be from this machine's clock: Standard Webhooks' 5 minutes. */
const TOLERANCE_SECONDS = 5 * 60;
const MAX_BODY_BYTES = 1024 * 1024;

class VerificationError extends Error {}

/**
 * The Standard Webhooks check with node:crypto only. The signed content is
 * `<webhook-id>.<webhook-timestamp>.<raw body>`, HMAC-SHA256 under the secret's bytes (the base64
 * after `whsec_`). `webhook-signature` holds one or more space-separated `v1,<base64>` entries (more
 * than one while a secret is being rotated); one matching is enough. Answers the parsed body.
 */
function verifyWithNodeCrypto(secret, headers, rawBody, nowSeconds = Math.floor(Date.now() / 1000)) {
  const id = headers["webhook-id"];
  const timestamp = headers["webhook-timestamp"];
  const signatures = headers["webhook-signature"];
  if (!id || !timestamp || !signatures) {
    throw new VerificationError("missing webhook-id, webhook-timestamp or webhook-signature");
  }
  // The timestamp is signed too: checking it refuses an old delivery captured and replayed later.
  if (!/^\d+$/.test(timestamp) || Math.abs(nowSeconds - Number(timestamp)) > TOLERANCE_SECONDS) {
    throw new VerificationError("timestamp missing or more than 5 minutes from now");
  }
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  // Sign the body's bytes as they came: parsing and re-serialising JSON would change them.
  const expected = createHmac("sha256", key).update(`${id}.${timestamp}.`).update(rawBody).digest();
  const matches = signatures.split(" ").some((entry) => {
    const [version, signature] = entry.split(",");
    if (version !== "v1" || !signature) return false;
    const given = Buffer.from(signature, "base64");
    // Constant time, so the time taken says nothing about how much of a guess was right.
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  if (!matches) throw new VerificationError("no matching signature");
  return JSON.parse(rawBody.toString("utf8"));
}

/** The same check with the reference library (which applies the same 5-minute tolerance). */
async function verifyWithStandardWebhooks(secret, headers, rawBody) {
  const { Webhook } = await import("standardwebhooks");
  try {
    return new Webhook(secret).verify(rawBody.toString("utf8"), headers);
  } catch (error) {
    throw new VerificationError(error.message);
  }
}

const verify = VERIFIER === "standardwebhooks" ? verifyWithStandardWebhooks : verifyWithNodeCrypto;

/**
 * webhook-ids handled already. A real receiver keeps them where it keeps what the events did (a
 * table with a unique key on the id, written in the same transaction), so a restart forgets none;
 * a few days' worth is enough, since retries stop after three days.
 */
const handled = new Set();
const remember = (id) => {
  handled.add(id);
  if (handled.size > 10_000) handled.delete(handled.values().next().value);
};

/** What the integration does with an event: here, print it. */
function handle(id, event) {
  console.log(
    `verified webhook-id=${id} type=${event.type} eventId=${event.eventId} aggregateId=${event.aggregateId} ` +
      `data=${JSON.stringify(event.data)}`,
  );
}

async function readBody(request) {
  const chunks = [];
  let size = 0;
  for await (const chunk of request) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new VerificationError("body too large");
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

async function onRequest(request, response, secret) {
  if (request.method !== "POST" || request.url !== PATH) {
    response.writeHead(404).end();
    return;
  }
  if (!secret) {
    // Subscribed, but the answer with the secret has not come yet: not a 2xx, so it comes again.
    response.writeHead(503).end();
    return;
  }
  const id = request.headers["webhook-id"];
  try {
    const event = await verify(secret, request.headers, await readBody(request));
    if (handled.has(id)) {
      console.log(`duplicate webhook-id=${id}: handled before, answered 204 again`);
    } else {
      handle(id, event);
      remember(id);
    }
    // Any 2xx tells the platform the delivery arrived; answer fast and do slow work afterwards.
    response.writeHead(204).end();
  } catch (error) {
    if (!(error instanceof VerificationError)) throw error;
    console.log(`rejected webhook-id=${id ?? "(none)"}: ${error.message}`);
    response.writeHead(400, { "content-type": "text/plain" }).end("invalid signature\n");
  }
}

/** Subscribes this receiver's URL; the answer carries the signing secret, shown this once. */
async function subscribe(url) {
  if (!TOKEN) throw new Error("Set PLATFORM_API_KEY (webhooks:manage and events:read) or ADMIN_ACCESS_TOKEN.");
  const response = await fetch(`${PLATFORM_URL}/api/events/webhooks`, {
    method: "POST",
    headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({ url, eventTypes: EVENT_TYPES, description: "docs/examples/receive-webhooks.mjs" }),
  });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(`Subscribing answered ${response.status}: ${answer.detail ?? "no detail"}`);
  console.log(`subscribed endpoint ${answer.id} to ${answer.eventTypes.join(", ")}`);
  console.log(`secret: ${answer.secret}`);
  console.log("(shown once: keep it, and start this receiver with WEBHOOK_SECRET set to it next time)");
  return answer;
}

/** Deletes the endpoint this run subscribed, so a stopped example leaves none failing for days. */
async function unsubscribe(endpointId) {
  const response = await fetch(`${PLATFORM_URL}/api/events/webhooks/${endpointId}`, {
    method: "DELETE",
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  console.log(`unsubscribed endpoint ${endpointId} (${response.status})`);
}

async function main() {
  const subscribing = process.argv.includes("--subscribe");
  if (!subscribing && !process.env.WEBHOOK_SECRET) {
    throw new Error("Set WEBHOOK_SECRET (whsec_…), or pass --subscribe to subscribe this receiver first.");
  }
  let secret = process.env.WEBHOOK_SECRET;
  const server = createServer((request, response) => {
    onRequest(request, response, secret).catch((error) => {
      console.error(`failed to handle a delivery: ${error.message}`);
      // Not a 2xx: the platform will try again later, with the same webhook-id.
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });
  await new Promise((resolve) => server.listen(PORT, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${server.address().port}${PATH}`;
  console.log(`listening on ${url} (verifying with ${VERIFIER})`);

  const endpoint = subscribing ? await subscribe(url) : undefined;
  if (endpoint) secret = endpoint.secret;

  const stop = async () => {
    server.close();
    if (endpoint) await unsubscribe(endpoint.id).catch((error) => console.error(error.message));
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((error) => {
  console.error(error.message);
  process.exit(1);
});
