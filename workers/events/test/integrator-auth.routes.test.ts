import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  INBOUND_SIGNATURE_HEADER,
  INTEGRATOR_SIGNATURE_HEADER,
  buildEvent,
  signInboundBody,
  signIntegratorEvent,
} from "@platform/events";
import { inProcess, principal, recordingQueue } from "../../../test/support/in-process.ts";
import { app } from "../src/app.ts";

/**
 * Inbound events are authenticated per integrator: the bridge's HMAC says only that an event came
 * through the bridge (anyone who can write the inbound topic gets it), so the platform also checks
 * the integrator's own Ed25519 signature, that it is registered and enabled, and that the event is
 * within its rights (type, source, course scope). Every refusal grants nothing.
 */
const BRIDGE_SECRET = "routes-test-inbound-secret-0123456789abcdef";
const db = new pg.Pool({ connectionString: inject("routesDatabaseUrl") });
afterAll(() => db.end());
const events = inProcess(app, { EVENTS_QUEUE: recordingQueue(), INBOUND_EVENTS_SECRET: BRIDGE_SECRET });
const anAdmin = principal("admin");
const tag = `${process.pid}-${Date.now().toString(36)}`;

interface Registered {
  readonly id: string;
  readonly name: string;
  readonly privateKey: CryptoKey;
}

async function register(name: string, courses: "all" | string[]): Promise<Registered> {
  const keys = (await crypto.subtle.generateKey("Ed25519", true, ["sign", "verify"])) as CryptoKeyPair;
  const { kty, crv, x } = await crypto.subtle.exportKey("jwk", keys.publicKey);
  const answer = await events.request<{ id: string; name: string }>("POST", "/api/events/integrators", {
    as: anAdmin,
    body: { name: `${name}-${tag}`, publicKey: { kty, crv, x }, eventTypes: ["ENROLLMENT_REQUESTED"], courses },
  });
  expect(answer.status).toBe(201);
  return { id: answer.body.id, name: answer.body.name, privateKey: keys.privateKey };
}

const scopedCourse = crypto.randomUUID();
let everything: Registered;
let scoped: Registered;
let disabled: Registered;

beforeAll(async () => {
  [everything, scoped, disabled] = await Promise.all([
    register("crm", "all"),
    register("school", [scopedCourse]),
    register("retired", "all"),
  ]);
  expect((await events.request("POST", `/api/events/integrators/${disabled.id}/disable`, { as: anAdmin })).status).toBe(
    200,
  );
});

function enrollment(source: string, courseId: string = crypto.randomUUID()) {
  return buildEvent(
    "ENROLLMENT_REQUESTED",
    { userId: crypto.randomUUID(), courseId, reference: "order-1", requestedAt: new Date().toISOString() },
    { source, correlationId: "integrator-auth" },
  );
}

/** POSTs as the bridge would: its HMAC, plus whatever integrator signature the Kafka message carried. */
async function deliver(body: string, integratorSignature: string | undefined) {
  const answer = await events.request<{ status?: string; detail?: string }>("POST", "/api/events/inbound", {
    body,
    headers: {
      [INBOUND_SIGNATURE_HEADER]: await signInboundBody(BRIDGE_SECRET, body),
      ...(integratorSignature && { [INTEGRATOR_SIGNATURE_HEADER]: integratorSignature }),
    },
  });
  return answer;
}

const stored = async (eventId: string) =>
  (await db.query("select 1 from events.outbox where id = $1", [eventId])).rowCount;

const now = () => Math.floor(Date.now() / 1000);

describe("inbound events signed by a registered integrator", () => {
  it("accepts an enrollment signed by an enabled integrator, for a course in its scope", async () => {
    for (const [integrator, courseId] of [
      [everything, undefined],
      [scoped, scopedCourse],
    ] as const) {
      const event = enrollment(`integrator:${integrator.name}`, courseId);
      const body = JSON.stringify(event);
      const answer = await deliver(body, await signIntegratorEvent(integrator.privateKey, integrator.id, body));
      expect(answer).toMatchObject({ status: 202, body: { status: "accepted" } });
      expect(await stored(event.id)).toBe(1);
    }
  });

  it("accepts a signature hours old (the event may have waited on the topic), not one from the future", async () => {
    const event = enrollment(`integrator:${everything.name}`);
    const body = JSON.stringify(event);
    const late = await deliver(
      body,
      await signIntegratorEvent(everything.privateKey, everything.id, body, now() - 6 * 3600),
    );
    expect(late.status).toBe(202);
  });

  it.each<[string, number, (body: string) => Promise<string | undefined>, () => string]>([
    [
      "no integrator signature (anyone who can write the topic)",
      401,
      async () => undefined,
      () => `integrator:${everything.name}`,
    ],
    [
      "a malformed integrator signature",
      401,
      async () => "id=nope,t=1,ed25519=abc",
      () => `integrator:${everything.name}`,
    ],
    [
      "an unknown integrator",
      401,
      async (body) => signIntegratorEvent(everything.privateKey, crypto.randomUUID(), body),
      () => `integrator:${everything.name}`,
    ],
    [
      "a disabled integrator",
      401,
      async (body) => signIntegratorEvent(disabled.privateKey, disabled.id, body),
      () => `integrator:${disabled.name}`,
    ],
    [
      "another integrator's key under this integrator's id",
      401,
      async (body) => signIntegratorEvent(scoped.privateKey, everything.id, body),
      () => `integrator:${everything.name}`,
    ],
    [
      "a signature older than seven days",
      401,
      async (body) => signIntegratorEvent(everything.privateKey, everything.id, body, now() - 7 * 24 * 3600 - 60),
      () => `integrator:${everything.name}`,
    ],
    [
      "a signature from the future",
      401,
      async (body) => signIntegratorEvent(everything.privateKey, everything.id, body, now() + 3600),
      () => `integrator:${everything.name}`,
    ],
    [
      "another integrator's source",
      403,
      async (body) => signIntegratorEvent(scoped.privateKey, scoped.id, body),
      () => `integrator:${everything.name}`,
    ],
    [
      "a course outside the integrator's scope",
      403,
      async (body) => signIntegratorEvent(scoped.privateKey, scoped.id, body),
      () => `integrator:${scoped.name}`,
    ],
  ])("refuses %s (%i) and stores nothing", async (_case, status, sign, source) => {
    const event = enrollment(source());
    const body = JSON.stringify(event);
    const answer = await deliver(body, await sign(body));
    expect(answer.status).toBe(status);
    expect(answer.headers.get("content-type")).toContain("application/problem+json");
    expect(await stored(event.id)).toBe(0);
  });

  it("refuses a body changed after the integrator signed it, even when the bridge signs the changed body", async () => {
    const event = enrollment(`integrator:${scoped.name}`, scopedCourse);
    const signature = await signIntegratorEvent(scoped.privateKey, scoped.id, JSON.stringify(event));
    const forged = { ...event, data: { ...event.data, courseId: crypto.randomUUID() } };
    const answer = await deliver(JSON.stringify(forged), signature);
    expect(answer.status).toBe(401);
    expect(await stored(event.id)).toBe(0);
  });

  it("refuses a type the integrator may not send", async () => {
    const forged = buildEvent(
      "USER_CREATED",
      { userId: crypto.randomUUID(), email: "forged@example.com", name: "Forged", roles: ["admin"] },
      { source: `integrator:${everything.name}`, correlationId: "forged" },
    );
    const body = JSON.stringify(forged);
    const answer = await deliver(body, await signIntegratorEvent(everything.privateKey, everything.id, body));
    expect(answer.status).toBe(422);
    expect(await stored(forged.id)).toBe(0);
  });
});

describe("managing integrators", () => {
  it("is for admins only, and refuses a taken name and a type integrators may not send", async () => {
    for (const who of [principal("learner"), principal("instructor")]) {
      expect((await events.request("GET", "/api/events/integrators", { as: who })).status).toBe(403);
    }
    expect((await events.request("GET", "/api/events/integrators")).status).toBe(401);
    const listed = await events.request<{ items: Array<{ id: string; disabledAt: string | null }> }>(
      "GET",
      "/api/events/integrators",
      { as: anAdmin },
    );
    expect(listed.body.items.find((item) => item.id === disabled.id)?.disabledAt).toBeTruthy();
    const taken = await events.request("POST", "/api/events/integrators", {
      as: anAdmin,
      body: {
        name: everything.name,
        publicKey: { kty: "OKP", crv: "Ed25519", x: "A".repeat(43) },
        eventTypes: ["ENROLLMENT_REQUESTED"],
        courses: "all",
      },
    });
    expect(taken.status).toBe(409);
    const notAllowed = await events.request("POST", "/api/events/integrators", {
      as: anAdmin,
      body: {
        name: `users-${tag}`,
        publicKey: { kty: "OKP", crv: "Ed25519", x: "A".repeat(43) },
        eventTypes: ["USER_CREATED"],
        courses: "all",
      },
    });
    expect(notAllowed.status).toBe(400);
  });
});
