import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { INBOUND_SIGNATURE_HEADER, INTEGRATOR_SIGNATURE_HEADER, buildEvent, signInboundBody } from "@platform/events";
import { gatewayUrl } from "../../../test/support/api.ts";
import { registerIntegrator, type TestIntegrator } from "../../../test/support/integrators.ts";
import { ASYNC_EFFECTS } from "../../../test/support/polling.ts";

/**
 * POST /api/events/inbound: how the Kafka bridge hands an integrator's event to the platform.
 * Signed over the raw body by the bridge (transport) and by a registered integrator (who wrote
 * it); only ENROLLMENT_REQUESTED is accepted; the event id makes it idempotent. The refusals of
 * the integrator's signature and rights are in integrator-auth.routes.test.ts; here, that the
 * check holds on the running platform (workerd's Ed25519, the gateway passing the header on).
 */
const db = new pg.Pool({ connectionString: inject("databaseUrl") });
afterAll(() => db.end());
const secret = inject("inboundEventsSecret");
let crm: TestIntegrator;
beforeAll(async () => {
  crm = await registerIntegrator("crm");
});

function enrollmentRequest(reference = "crm-order-1") {
  return buildEvent(
    "ENROLLMENT_REQUESTED",
    {
      userId: crypto.randomUUID(),
      courseId: crypto.randomUUID(),
      reference,
      requestedAt: new Date().toISOString(),
    },
    { source: `integrator:${crm.name}`, correlationId: `crm-${reference}` },
  );
}

/** As the bridge would: its own signature, and the integrator's as the Kafka message carried it (by default, crm's). */
async function send(body: string, signature: string | undefined, integratorSignature?: string | null) {
  const forwarded = integratorSignature === undefined ? await crm.sign(body) : integratorSignature;
  const response = await fetch(`${gatewayUrl}/api/events/inbound`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(signature && { [INBOUND_SIGNATURE_HEADER]: signature }),
      ...(forwarded && { [INTEGRATOR_SIGNATURE_HEADER]: forwarded }),
    },
    body,
  });
  return {
    status: response.status,
    type: response.headers.get("content-type"),
    body: (await response.json()) as Record<string, unknown>,
  };
}

async function outboxRows(eventId: string) {
  const { rows } = await db.query<{ queued_at: Date | null }>("select queued_at from events.outbox where id = $1", [
    eventId,
  ]);
  return rows;
}

describe("POST /api/events/inbound", () => {
  it("accepts a signed enrollment request once, and relays it to the Queue", async () => {
    const event = enrollmentRequest("accept-once");
    const body = JSON.stringify(event);
    const first = await send(body, await signInboundBody(secret, body));
    expect(first).toMatchObject({ status: 202, body: { id: event.id, status: "accepted" } });
    const again = await send(body, await signInboundBody(secret, body));
    expect(again).toMatchObject({ status: 202, body: { id: event.id, status: "duplicate" } });
    expect(await outboxRows(event.id)).toHaveLength(1);
    await expect
      .poll(async () => (await outboxRows(event.id))[0]?.queued_at, {
        ...ASYNC_EFFECTS,
        message: "the relay to mark it queued",
      })
      .toBeTruthy();
  });

  it.each([
    ["no signature", async () => undefined],
    ["a signature made with another secret", async (body: string) => signInboundBody("x".repeat(40), body)],
    [
      "a signature older than 300 s",
      async (body: string) => signInboundBody(secret, body, Math.floor(Date.now() / 1000) - 301),
    ],
    ["a malformed signature header", async () => "v1=deadbeef"],
  ])("refuses %s with 401 and writes nothing", async (_case, sign) => {
    const event = enrollmentRequest(`refused-${Math.random()}`);
    const body = JSON.stringify(event);
    const answer = await send(body, await sign(body));
    expect(answer.status).toBe(401);
    expect(answer.type).toContain("application/problem+json");
    expect(await outboxRows(event.id)).toEqual([]);
  });

  it("refuses an event signed by the bridge alone (anyone who can write the inbound topic) with 401", async () => {
    const event = enrollmentRequest("bridge-only");
    const body = JSON.stringify(event);
    const answer = await send(body, await signInboundBody(secret, body), null);
    expect(answer.status).toBe(401);
    expect(answer.body.detail).toContain("x-integrator-signature");
    expect(await outboxRows(event.id)).toEqual([]);
  });

  it("refuses an enrollment for a course outside the integrator's scope with 403", async () => {
    const school = await registerIntegrator("school", { courses: [crypto.randomUUID()] });
    const event = buildEvent(
      "ENROLLMENT_REQUESTED",
      {
        userId: crypto.randomUUID(),
        courseId: crypto.randomUUID(),
        reference: "out-of-scope",
        requestedAt: new Date().toISOString(),
      },
      { source: `integrator:${school.name}`, correlationId: "school-out-of-scope" },
    );
    const body = JSON.stringify(event);
    const answer = await send(body, await signInboundBody(secret, body), await school.sign(body));
    expect(answer.status).toBe(403);
    expect(await outboxRows(event.id)).toEqual([]);
  });

  it("refuses a body changed by one byte after signing", async () => {
    const event = enrollmentRequest("tampered");
    const body = JSON.stringify(event);
    const signature = await signInboundBody(secret, body);
    const tampered = body.replace("tampered", "tamperee");
    expect((await send(tampered, signature)).status).toBe(401);
    expect(await outboxRows(event.id)).toEqual([]);
  });

  it("refuses an event type integrators may not send (422, field errors) and an invalid event", async () => {
    const forged = buildEvent(
      "USER_CREATED",
      { userId: crypto.randomUUID(), email: "forged@example.com", name: "Forged", roles: ["admin"] },
      { source: `integrator:${crm.name}`, correlationId: "forged" },
    );
    const body = JSON.stringify(forged);
    const answer = await send(body, await signInboundBody(secret, body));
    expect(answer.status).toBe(422);
    expect(answer.body.errors).toEqual([
      { path: "body.type", message: "integrators may send only ENROLLMENT_REQUESTED" },
    ]);
    expect(await outboxRows(forged.id)).toEqual([]);

    const broken = { ...enrollmentRequest("broken"), data: { userId: "nobody" } };
    const brokenBody = JSON.stringify(broken);
    const invalid = await send(brokenBody, await signInboundBody(secret, brokenBody));
    expect(invalid.status).toBe(422);
    expect((invalid.body.errors as Array<{ path: string }>).map((error) => error.path)).toContain("body.data.userId");

    const notJson = "{not json";
    expect((await send(notJson, await signInboundBody(secret, notJson))).status).toBe(400);
  });
});
