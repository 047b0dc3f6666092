import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { GOOD_PASSWORD, gatewayUrl, newClientAddress, uniqueEmail } from "../../../test/support/api.ts";
import { servicesThatSaw } from "../../../test/support/worker-log.ts";

/**
 * Request bodies over MAX_BODY_BYTES are refused by the gateway before any worker sees them,
 * whether they declare their length or arrive chunked. Each body here is a valid registration
 * padded to a given size (the auth worker ignores unknown fields), so a body that got through
 * would create an account and its USER_CREATED event.
 */
const MAX_BODY_BYTES = Number(inject("gatewayVars").MAX_BODY_BYTES);

const db = new pg.Client({ connectionString: inject("databaseUrl") });
beforeAll(() => db.connect());
afterAll(() => db.end());

function registrationOfSize(email: string, bytes: number): Uint8Array {
  const skeleton = JSON.stringify({ email, password: GOOD_PASSWORD, name: "Big Body", padding: "" });
  const padding = bytes - new TextEncoder().encode(skeleton).length;
  if (padding < 0) throw new Error(`A registration cannot be as small as ${bytes} bytes.`);
  const body = new TextEncoder().encode(
    JSON.stringify({ email, password: GOOD_PASSWORD, name: "Big Body", padding: "x".repeat(padding) }),
  );
  expect(body.length).toBe(bytes);
  return body;
}

/** The same bytes as a stream of 64 KiB chunks: fetch sends it chunked, with no Content-Length. */
function chunked(bytes: Uint8Array): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + 64 * 1024));
      offset += 64 * 1024;
    },
  });
}

async function register(body: Uint8Array, how: "with length" | "chunked", correlationId: string) {
  return fetch(`${gatewayUrl}/api/auth/register`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-correlation-id": correlationId,
      "cf-connecting-ip": newClientAddress(),
    },
    body: how === "chunked" ? chunked(body) : body,
    ...(how === "chunked" ? { duplex: "half" } : {}),
  } as RequestInit);
}

async function traces(email: string) {
  const accounts = await db.query("select id from auth.accounts where email = $1", [email]);
  const events = await db.query("select 1 from auth.outbox where envelope->'data'->>'email' = $1", [email]);
  return { accounts: accounts.rowCount, events: events.rowCount };
}

describe.each(["with length", "chunked"] as const)("a request body sent %s", (how) => {
  it(`one byte over ${MAX_BODY_BYTES} bytes gets 413 problem+json from the gateway, and no worker sees it`, async () => {
    const email = uniqueEmail("oversize");
    const id = `oversize-${how.replace(" ", "-")}-${Date.now()}`;
    const response = await register(registrationOfSize(email, MAX_BODY_BYTES + 1), how, id);
    expect(response.status).toBe(413);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(await response.json()).toMatchObject({
      type: "/problems/payload-too-large",
      status: 413,
      instance: "/api/auth/register",
      correlationId: id,
    });
    expect(await servicesThatSaw(id)).toEqual(["gateway"]);
    expect(await traces(email)).toEqual({ accounts: 0, events: 0 });
  });

  it(`exactly ${MAX_BODY_BYTES} bytes goes through whole: the account is created`, async () => {
    const email = uniqueEmail("at-limit");
    const id = `at-limit-${how.replace(" ", "-")}-${Date.now()}`;
    const response = await register(registrationOfSize(email, MAX_BODY_BYTES), how, id);
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ email, name: "Big Body" });
    expect(await traces(email)).toEqual({ accounts: 1, events: 1 });
    expect(await servicesThatSaw(id)).toEqual(["auth", "gateway"]);
  });
});

describe("a body far over the limit", () => {
  it("is refused on its declared length, on any route (here a PUT to the courses worker)", async () => {
    const response = await fetch(`${gatewayUrl}/api/courses/anything`, {
      method: "PUT",
      headers: { "content-type": "application/octet-stream", "cf-connecting-ip": newClientAddress() },
      body: new Uint8Array(8 * MAX_BODY_BYTES),
    });
    expect(response.status).toBe(413);
  });
});

describe("upload parts (PUT /api/courses/{id}/uploads/{uploadId}/parts/{n})", () => {
  const partPath = `/api/courses/${crypto.randomUUID()}/uploads/${crypto.randomUUID()}/parts/1`;

  it("one byte over 95 MiB gets 413 from the gateway, and no worker sees it", async () => {
    const id = `part-over-${Date.now()}`;
    const response = await fetch(`${gatewayUrl}${partPath}`, {
      method: "PUT",
      headers: {
        "content-type": "application/octet-stream",
        "cf-connecting-ip": newClientAddress(),
        "x-correlation-id": id,
      },
      body: new Uint8Array(95 * 1024 * 1024 + 1),
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ type: "/problems/payload-too-large", instance: partPath });
    expect(await servicesThatSaw(id)).toEqual(["gateway"]);
  });

  it("one sent chunked (no length) gets 411 from the gateway, and no worker sees it", async () => {
    const id = `part-chunked-${Date.now()}`;
    const response = await fetch(`${gatewayUrl}${partPath}`, {
      method: "PUT",
      headers: {
        "content-type": "application/octet-stream",
        "cf-connecting-ip": newClientAddress(),
        "x-correlation-id": id,
      },
      body: chunked(new Uint8Array(1024)),
      duplex: "half",
    } as RequestInit);
    expect(response.status).toBe(411);
    expect(await servicesThatSaw(id)).toEqual(["gateway"]);
  });

  it("a part over MAX_BODY_BYTES but within the part limit reaches the courses worker", async () => {
    const id = `part-within-${Date.now()}`;
    const response = await fetch(`${gatewayUrl}${partPath}`, {
      method: "PUT",
      headers: {
        "content-type": "application/octet-stream",
        "cf-connecting-ip": newClientAddress(),
        "x-correlation-id": id,
      },
      body: new Uint8Array(2 * MAX_BODY_BYTES),
    });
    // Signed out: the courses worker (not the gateway's body limit) answers.
    expect(response.status).toBe(401);
    expect(await servicesThatSaw(id)).toEqual(["courses", "gateway"]);
  });
});
