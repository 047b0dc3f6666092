import { DurableObject } from "cloudflare:workers";
import {
  LIVE_CLOSE_CODES,
  LIVE_PATH,
  LIVE_PING,
  LIVE_PONG,
  LIVE_TICKET_EXPIRES_HEADER,
  LIVE_TICKET_NONCE_HEADER,
  type LiveMessage,
  type LivePublishResult,
  type LiveReadyFrame,
  type LiveSnapshotFrame,
} from "@platform/contracts";
import {
  buildProblem,
  CORRELATION_HEADER,
  errorText,
  logLine,
  problemResponse,
  type ProblemCode,
  type ProblemInit,
} from "@platform/http-kit";
import { catchUpFor } from "./catch-up.ts";
import { readClientFrame } from "./client-frames.ts";
import { readConnectParams } from "./connect-params.ts";
import { deliveryFrame } from "./delivery-frame.ts";
import { HubStorage } from "./hub-storage.ts";
import { keepaliveDeadline, nextAlarmAt } from "./keepalive.ts";
import type { LiveHubStub } from "./push.ts";

/** What each socket carries through hibernation (`serializeAttachment`): all the hub knows of it. */
interface SocketState {
  readonly keepaliveSeconds: number;
  /** The last frame from the client (ms); its pings are read from the runtime instead. */
  readonly lastHeardAt: number;
  /** Whether it has had its catch-up (by `?after=` or a `resume` frame): a second is refused. */
  readonly resumed: boolean;
}

/** What `stats()` reports: for operators, the bench, and tests that watch the object being evicted. */
export interface LiveHubStats {
  /** Random per instance: a different value means the object was evicted and started again. */
  readonly instance: string;
  readonly sockets: number;
  readonly lastSeq: number;
}

/**
 * One per learner (`idFromName(userId)`): that learner's open sockets, through the WebSocket Hibernation API,
 * so the object may leave memory between messages while the sockets stay open. `publish` stamps each message
 * with the learner's next sequence number, keeps the latest for devices that reconnect, and sends it to every
 * socket. The progress worker's live route hands it upgrades that the gateway authenticated (docs/live.md).
 */
export class LiveHub extends DurableObject<Record<string, never>> implements Pick<LiveHubStub, "publish"> {
  private readonly store: HubStorage;
  private lastSeq: number;
  private readonly instance = crypto.randomUUID();

  constructor(ctx: DurableObjectState, env: Record<string, never>) {
    super(ctx, env);
    this.store = new HubStorage(ctx.storage.sql);
    this.lastSeq = this.store.lastSeq();
    // Heartbeats are answered by the runtime, so a learner's idle devices never wake the object.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(LIVE_PING, LIVE_PONG));
  }

  /** An upgrade forwarded by the live route, with the ticket's nonce the gateway verified. */
  override async fetch(request: Request): Promise<Response> {
    const refuse = (code: ProblemCode, init: ProblemInit) =>
      problemResponse(
        buildProblem(
          code,
          { instance: LIVE_PATH, correlationId: request.headers.get(CORRELATION_HEADER) ?? undefined },
          init,
        ),
        init.headers,
      );
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") {
      return refuse("bad-request", { detail: "Open this with a WebSocket upgrade." });
    }
    const nonce = request.headers.get(LIVE_TICKET_NONCE_HEADER);
    const expiresAt = Number(request.headers.get(LIVE_TICKET_EXPIRES_HEADER));
    if (!nonce || !Number.isSafeInteger(expiresAt)) {
      return refuse("unauthorized", { detail: "A live ticket is needed: POST /api/live/ticket." });
    }
    const connect = readConnectParams(new URL(request.url).searchParams);
    if (!connect.ok) return refuse("validation-failed", { errors: connect.errors });
    // Single use is decided here, where the learner's state lives: one object per learner, one request at a time.
    if (!this.store.spendTicket(nonce, expiresAt, Math.floor(Date.now() / 1000))) {
      return refuse("unauthorized", {
        detail: "This ticket was already used; ask for a new one.",
        headers: { "www-authenticate": 'Ticket error="invalid_ticket"' },
      });
    }

    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server);
    const { after, keepaliveSeconds } = connect.params;
    const now = Date.now();
    server.serializeAttachment({
      keepaliveSeconds,
      lastHeardAt: now,
      resumed: after !== undefined,
    } satisfies SocketState);
    // Sent before the 101 leaves: the runtime queues them behind the handshake, in this order.
    if (after !== undefined) this.catchUp(server, after);
    else this.sendReady(server);
    await this.watchUntil(keepaliveDeadline(now, keepaliveSeconds));
    return new Response(null, { status: 101, webSocket: client });
  }

  /**
   * Stamps, keeps and sends one message. The frame is written before it is sent, and the runtime's output gate
   * holds the sends until the write is durable: no device ever sees a number the hub could forget.
   */
  async publish(message: LiveMessage): Promise<LivePublishResult> {
    const seq = this.lastSeq + 1;
    const frame = deliveryFrame(seq, new Date(), message);
    this.store.append(seq, frame);
    this.lastSeq = seq;
    let sockets = 0;
    for (const socket of this.ctx.getWebSockets()) {
      try {
        socket.send(frame);
        sockets += 1;
      } catch {
        // Closing as we speak: its client will reconnect and catch up.
      }
    }
    return { seq, sockets };
  }

  async stats(): Promise<LiveHubStats> {
    return { instance: this.instance, sockets: this.ctx.getWebSockets().length, lastSeq: this.lastSeq };
  }

  override async webSocketMessage(socket: WebSocket, message: string | ArrayBuffer): Promise<void> {
    const verdict = readClientFrame(message);
    if (!verdict.ok) {
      // Only this socket: the learner's other devices are not answerable for one broken client.
      closeQuietly(socket, verdict.code, verdict.reason);
      return;
    }
    const state = stateOf(socket);
    if (state.resumed) {
      closeQuietly(socket, LIVE_CLOSE_CODES.policyViolation, "resume is sent once");
      return;
    }
    socket.serializeAttachment({ ...state, lastHeardAt: Date.now(), resumed: true } satisfies SocketState);
    this.catchUp(socket, verdict.frame.after);
  }

  override async webSocketClose(socket: WebSocket, code: number, reason: string): Promise<void> {
    // Completes the closing handshake where the runtime does not do it by itself; 1005/1006 cannot be sent.
    closeQuietly(socket, code === 1005 || code === 1006 ? 1000 : code, reason);
  }

  override async webSocketError(socket: WebSocket, error: unknown): Promise<void> {
    logLine("warn", "progress", "live socket failed", { error: errorText(error) });
    closeQuietly(socket, 1011, "socket error");
  }

  /** Closes the sockets whose peers fell silent, and watches the rest. */
  override async alarm(): Promise<void> {
    const now = Date.now();
    const deadlines: number[] = [];
    for (const socket of this.ctx.getWebSockets()) {
      const deadline = this.deadlineOf(socket);
      if (deadline <= now) closeQuietly(socket, LIVE_CLOSE_CODES.keepaliveMissed, "keepalive missed");
      else deadlines.push(deadline);
    }
    this.store.forgetExpiredTickets(Math.floor(now / 1000));
    const next = nextAlarmAt(deadlines, now);
    if (next !== null) await this.ctx.storage.setAlarm(next);
  }

  private catchUp(socket: WebSocket, after: number): void {
    const plan = catchUpFor(after, this.lastSeq, this.store.oldestSeq());
    if (plan.kind === "snapshot") {
      socket.send(JSON.stringify({ kind: "snapshot", seq: this.lastSeq } satisfies LiveSnapshotFrame));
      return;
    }
    if (plan.kind === "replay") for (const frame of this.store.framesAfter(after)) socket.send(frame);
    this.sendReady(socket);
  }

  private sendReady(socket: WebSocket): void {
    socket.send(JSON.stringify({ kind: "ready", seq: this.lastSeq } satisfies LiveReadyFrame));
  }

  private deadlineOf(socket: WebSocket): number {
    const state = stateOf(socket);
    const lastPing = this.ctx.getWebSocketAutoResponseTimestamp(socket)?.getTime() ?? 0;
    return keepaliveDeadline(Math.max(state.lastHeardAt, lastPing), state.keepaliveSeconds);
  }

  /** Makes sure an alarm fires by `deadline` (an earlier one already set covers it). */
  private async watchUntil(deadline: number): Promise<void> {
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > deadline) await this.ctx.storage.setAlarm(deadline);
  }
}

function stateOf(socket: WebSocket): SocketState {
  return socket.deserializeAttachment() as SocketState;
}

function closeQuietly(socket: WebSocket, code: number, reason: string): void {
  try {
    socket.close(code, reason);
  } catch {
    // Already closed or closing: nothing left to do.
  }
}
