import { OpenAPIHono, z } from "@hono/zod-openapi";
import { INBOUND_SIGNATURE_HEADER, verifyInboundSignature } from "@platform/events";
import { ProblemError, requireStorableText } from "@platform/http-kit";
import { defineRoute, documentByHand, json, problem, publicAccess } from "@platform/service-kit";
import type { EventsEnv } from "../env.ts";
import { acceptInboundEvent, checkInboundEvent } from "../inbound.ts";

/** No user calls it: the Kafka bridge does, and the handler checks the HMAC signature over the raw body. */
const fromTheBridge = publicAccess(
  "called by the Kafka bridge, not a user; every event must carry a valid HMAC signature",
);

const receive = defineRoute(fromTheBridge, {
  method: "post",
  path: "/api/events/inbound",
  summary: "Hand in an integrator's event (the Kafka bridge's inbound side; HMAC-signed)",
  description:
    `The raw body is a platform event envelope, signed with the shared inbound secret in \`${INBOUND_SIGNATURE_HEADER}\` ` +
    '(`t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`, at most 300 s old). Only ENROLLMENT_REQUESTED is accepted.',
  tags: ["events"],
  request: {
    headers: z.object({ [INBOUND_SIGNATURE_HEADER]: z.string().optional() }),
    body: { required: true, content: json(z.object({ id: z.uuid(), type: z.string() }).passthrough()) },
  },
  responses: {
    202: {
      description: "Accepted (or already accepted: the event id is the idempotency key)",
      content: json(z.object({ id: z.uuid(), status: z.enum(["accepted", "duplicate"]) })),
    },
    400: problem("The body is not JSON, or holds text that cannot be stored (a NUL, a lone surrogate)"),
    401: problem("Missing, stale or wrong signature"),
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
  const status = await acceptInboundEvent(c.var.database().db, checked.event);
  return c.json({ id: checked.event.id, status }, 202);
});
