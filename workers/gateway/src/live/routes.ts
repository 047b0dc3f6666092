import {
  LIVE_LIMITS,
  LIVE_PATH,
  LIVE_TICKET_EXPIRES_HEADER,
  LIVE_TICKET_NONCE_HEADER,
  type LiveTicketResponse,
} from "@platform/contracts";
import { errorText, logLine, respondWithProblem } from "@platform/http-kit";
import { forwardedRequest, type GatewayContext } from "../forward.ts";
import { issueTicket, MIN_SECRET_LENGTH, verifyTicket } from "./ticket.ts";

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** The ticket secret, or an answer saying live updates are not configured (logged: it is the operator's to fix). */
function secretOr503(c: GatewayContext): { secret: string } | { refused: Response } {
  const secret = c.env.LIVE_TICKET_SECRET;
  if (secret !== undefined && secret.length >= MIN_SECRET_LENGTH) return { secret };
  logLine("error", "gateway", "LIVE_TICKET_SECRET is missing or shorter than 32 characters", {
    correlationId: c.var.correlationId,
  });
  return {
    refused: respondWithProblem(c, "service-unavailable", { detail: "Live updates are not available right now." }),
  };
}

/**
 * `POST /api/live/ticket`: a single-use ticket for the caller's own live socket, for clients that cannot put a
 * bearer token on a WebSocket (browsers). The caller is whoever `authenticate` verified; anonymous gets 401.
 */
export async function issueLiveTicket(c: GatewayContext): Promise<Response> {
  const principal = c.var.principal;
  if (!principal) {
    return respondWithProblem(c, "unauthorized", {
      detail: "Sign in first: send a bearer access token.",
      headers: { "www-authenticate": "Bearer" },
    });
  }
  // A person's own live updates: an integrator's key acts for its admin, but is not them.
  if (principal.apiKey) {
    return respondWithProblem(c, "forbidden", { detail: "API keys cannot open live sockets: they are for people." });
  }
  const configured = secretOr503(c);
  if ("refused" in configured) return configured.refused;
  const { ticket, claims } = await issueTicket(
    configured.secret,
    principal.userId,
    nowSeconds(),
    LIVE_LIMITS.ticketSeconds,
  );
  const body: LiveTicketResponse = {
    ticket,
    expiresAt: new Date(claims.exp * 1000).toISOString(),
    url: `${LIVE_PATH}?ticket=${encodeURIComponent(ticket)}`,
  };
  // A credential: no cache of any kind may keep it.
  c.header("cache-control", "no-store");
  return c.json(body, 200);
}

/**
 * Who opens a live socket, decided here, before any object is reached. Today only a ticket proves it. When the
 * site gets its session cookie, this is where it is read (verified like a bearer token, and only with an
 * `Origin` the gateway trusts, since a browser sends cookies on cross-site WebSocket handshakes too); such a
 * caller carries no nonce, and the hub spends nothing for it (docs/live.md).
 */
async function liveCaller(
  c: GatewayContext,
  secret: string,
): Promise<{ ok: true; userId: string; nonce: string; exp: number } | { ok: false; detail: string }> {
  const ticket = c.req.query("ticket");
  if (!ticket) return { ok: false, detail: "A live ticket is needed: POST /api/live/ticket, then open its url." };
  const check = await verifyTicket(secret, ticket, nowSeconds(), LIVE_LIMITS.ticketSeconds);
  if (check.ok) return { ok: true, userId: check.claims.sub, nonce: check.claims.nonce, exp: check.claims.exp };
  return {
    ok: false,
    detail:
      check.reason === "expired"
        ? "This live ticket has expired; ask for a new one."
        : "This is not a live ticket this platform issued.",
  };
}

/**
 * `GET /api/live?ticket=…` (WebSocket upgrade): the ticket is checked here (signature, expiry), then the upgrade
 * goes to the progress worker as the ticket's learner, with the nonce for the learner's hub to spend. The ticket
 * itself goes no further: it is taken off the URL the worker sees.
 */
export async function openLiveSocket(c: GatewayContext): Promise<Response> {
  const configured = secretOr503(c);
  if ("refused" in configured) return configured.refused;
  const caller = await liveCaller(c, configured.secret);
  if (!caller.ok) {
    return respondWithProblem(c, "unauthorized", {
      detail: caller.detail,
      headers: { "www-authenticate": 'Ticket error="invalid_ticket"' },
    });
  }
  if (c.req.header("upgrade")?.toLowerCase() !== "websocket") {
    return respondWithProblem(c, "bad-request", { detail: "Open this with a WebSocket upgrade." });
  }
  const url = new URL(c.req.url);
  url.searchParams.delete("ticket");
  const forwarded = forwardedRequest(new Request(url, c.req.raw), c.var.correlationId, {
    userId: caller.userId,
    roles: [],
  });
  forwarded.headers.set(LIVE_TICKET_NONCE_HEADER, caller.nonce);
  forwarded.headers.set(LIVE_TICKET_EXPIRES_HEADER, String(caller.exp));
  try {
    const response = await c.env.PROGRESS.fetch(forwarded);
    // Rebuilt so the gateway's middleware can still add its headers (a binding's answer may be immutable); the
    // runtime carries a 101's WebSocket over to the copy.
    return new Response(response.body, response);
  } catch (error) {
    logLine("error", "gateway", "service binding failed", {
      target: "progress",
      error: errorText(error),
      correlationId: c.var.correlationId,
    });
    return respondWithProblem(c, "bad-gateway", { detail: "The live service could not answer." });
  }
}

/** Any other method on the live paths. */
export function liveMethodNotAllowed(allow: string) {
  return (c: GatewayContext) =>
    respondWithProblem(c, "method-not-allowed", {
      detail: `Only ${allow} is served here.`,
      headers: { allow },
    });
}
