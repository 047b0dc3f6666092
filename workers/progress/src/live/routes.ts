import { Hono } from "hono";
import { LIVE_PATH } from "@platform/contracts";
import { principalOf, respondWithProblem, type ServiceEnv } from "@platform/http-kit";
import { readConnectParams } from "./connect-params.ts";
import { hubOf, type LiveHubBindings } from "./push.ts";

/**
 * `GET /api/live`: the upgrade the gateway forwards once it has verified a ticket, carrying the learner as the
 * principal and the ticket's nonce. The learner's own hub takes it from here (and spends the nonce). Nothing
 * but the gateway reaches this worker, so the headers are the gateway's (docs/live.md).
 */
export const liveRoutes = new Hono<ServiceEnv<LiveHubBindings>>().get(LIVE_PATH, async (c) => {
  const principal = principalOf(c);
  if (!principal) {
    return respondWithProblem(c, "unauthorized", { detail: "A live ticket is needed: POST /api/live/ticket." });
  }
  if (c.req.header("upgrade")?.toLowerCase() !== "websocket") {
    return respondWithProblem(c, "bad-request", { detail: "Open this with a WebSocket upgrade." });
  }
  // Checked here as well as in the hub, so a bad value costs no trip to the object.
  const connect = readConnectParams(new URL(c.req.url).searchParams);
  if (!connect.ok) return respondWithProblem(c, "validation-failed", { errors: connect.errors });

  const answer = await hubOf(c.env, principal.userId).fetch(c.req.raw);
  // A stub's answer has immutable headers, and the conventions still add theirs (the correlation id); the
  // runtime carries a 101's WebSocket over to the copy.
  return new Response(answer.body, answer);
});
