import { OpenAPIHono, z } from "@hono/zod-openapi";
import { INBOUND_SIGNATURE_HEADER, INTEGRATOR_SIGNATURE_HEADER, verifyInboundSignature } from "@platform/events";
import { ProblemError, requireStorableText } from "@platform/http-kit";
import { defineRoute, documentByHand, json, problem, publicAccess } from "@platform/service-kit";
import type { EventsEnv } from "../env.ts";
import { acceptInboundEvent, authenticateIntegrator, authorizeIntegratorEvent, checkInboundEvent } from "../inbound.ts";

/**
 * No user calls it: the Kafka bridge does. The handler checks two signatures over the raw body:
 * the bridge's HMAC (transport) and the integrator's own Ed25519 signature (who wrote it).
 */
const fromTheBridge = publicAccess(
  "called by the Kafka bridge, not a user; every event must carry the bridge's HMAC and a registered integrator's signature",
);

const receive = defineRoute(fromTheBridge, {
  method: "post",
  operationId: "receiveInboundEvent",
  path: "/api/events/inbound",
  summary: "Hand in an integrator's event (the Kafka bridge's inbound side; HMAC-signed)",
  description:
    `The raw body is a platform event envelope, signed with the shared inbound secret in \`${INBOUND_SIGNATURE_HEADER}\` ` +
    '(`t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`, at most 300 s old), and by the integrator that wrote it in ' +
    `\`${INTEGRATOR_SIGNATURE_HEADER}\` (\`id=<integrator id>,t=<unix seconds>,ed25519=<base64url Ed25519 signature of "t.id.body">\`, ` +
    "forwarded unchanged by the bridge). The integrator must be registered and enabled, may send only the types " +
    "it was granted (ENROLLMENT_REQUESTED at most), under `source: integrator:<name>`, for courses in its scope.",
  tags: ["events"],
  request: {
    headers: z.object({
      [INBOUND_SIGNATURE_HEADER]: z.string().optional(),
      [INTEGRATOR_SIGNATURE_HEADER]: z.string().optional(),
    }),
    body: { required: true, content: json(z.object({ id: z.uuid(), type: z.string() }).passthrough()) },
  },
  responses: {
    202: {
      description: "Accepted (or already accepted: the event id is the idempotency key)",
      content: json(z.object({ id: z.uuid(), status: z.enum(["accepted", "duplicate"]) })),
    },
    400: problem("The body is not JSON, or holds text that cannot be stored (a NUL, a lone surrogate)"),
    401: problem(
      "Missing, stale or wrong signature (the bridge's or the integrator's), or an unknown or disabled integrator",
    ),
    403: problem("A type this integrator may not send, another integrator's source, or a course outside its scope"),
    422: problem("Not a valid event, or a type integrators may not send"),
    503: problem("Inbound events are not configured here"),
  },
});

export const inboundRoutes = new OpenAPIHono<EventsEnv>();

// Registered by hand rather than with `openapi()`: the signature covers the raw bytes, so the
// body must be read as text before anything parses it.
inboundRoutes.post(receive.getRoutingPath(), documentByHand(inboundRoutes, receive), async (c) => {
  const secret = c.env.INBOUND_EVENTS_SECRET;
  if (!secret) throw new ProblemError("service-unavailable", { detail: "Inbound events are not configured." });
  const rawBody = await c.req.text();
  const signature = await verifyInboundSignature(secret, rawBody, c.req.header(INBOUND_SIGNATURE_HEADER));
  if (!signature.ok) throw new ProblemError("unauthorized", { detail: `Inbound event refused: ${signature.reason}.` });
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    throw new ProblemError("bad-request", { detail: "The body is not JSON." });
  }
  // Parsed here, not by the validation hook: refuse what PostgreSQL could not store, as the hook does.
  requireStorableText(body, "json");
  const { db } = c.var.database();
  const integrator = await authenticateIntegrator(db, c.req.header(INTEGRATOR_SIGNATURE_HEADER), rawBody);
  if (!integrator.ok)
    throw new ProblemError("unauthorized", { detail: `Inbound event refused: ${integrator.reason}.` });
  const checked = checkInboundEvent(body);
  if (!checked.ok) {
    throw new ProblemError("unprocessable", {
      detail: "This is not an event integrators may send.",
      errors: checked.issues.map((issue) => {
        const at = issue.indexOf(": ");
        return { path: `body.${issue.slice(0, at)}`, message: issue.slice(at + 2) };
      }),
    });
  }
  const refusal = authorizeIntegratorEvent(integrator.integrator, checked.event);
  if (refusal) throw new ProblemError("forbidden", { detail: `Inbound event refused: ${refusal}.` });
  const status = await acceptInboundEvent(db, checked.event);
  return c.json({ id: checked.event.id, status }, 202);
});
