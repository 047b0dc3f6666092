/**
 * The live channel (`GET /api/live`, a WebSocket): what a learner's open devices receive from their LiveHub and
 * what they may send back. The gateway, the progress worker, the site and the tests all speak it (docs/live.md).
 */

/** The public paths: the socket itself, and the single-use ticket that opens it. */
export const LIVE_PATH = "/api/live";
export const LIVE_TICKET_PATH = "/api/live/ticket";

/**
 * What a domain change tells a learner's devices. `type` names it (`lesson.completed`, `course.completed`, …);
 * the other fields are the change's own data, as small as the client needs to update what it shows.
 */
export type LiveMessage = { readonly type: string } & Readonly<Record<string, unknown>>;

/** A published message as every socket of the learner receives it, stamped by the hub. */
export interface LiveDeliveryFrame {
  readonly kind: "message";
  /** Per learner, strictly increasing from 1, never reused: what a reconnecting client resumes after. */
  readonly seq: number;
  /** When the hub stamped it (ISO 8601). */
  readonly at: string;
  readonly message: LiveMessage;
}

/**
 * Sent once the socket is caught up (after any replayed messages): `seq` is the learner's latest sequence
 * number (0 before the first message). Everything after it arrives live.
 */
export interface LiveReadyFrame {
  readonly kind: "ready";
  readonly seq: number;
}

/**
 * The client asked to resume after a number whose successors the hub no longer keeps (or never issued): it
 * must reload what it shows from the REST API, and then take messages after `seq`.
 */
export interface LiveSnapshotFrame {
  readonly kind: "snapshot";
  readonly seq: number;
}

export type LiveServerFrame = LiveDeliveryFrame | LiveReadyFrame | LiveSnapshotFrame;

/**
 * What a client may send, as JSON text: `resume` (once per socket) replays what came after `after`, for a
 * client that did not put `?after=` on the URL. Anything else closes that socket with a policy code.
 */
export interface LiveResumeFrame {
  readonly kind: "resume";
  readonly after: number;
}

export type LiveClientFrame = LiveResumeFrame;

/**
 * The heartbeat: a client sends the text `ping` and gets `pong` from the runtime itself, without waking the
 * learner's object. A socket silent (no ping, no frame) for 1.5 × its keepalive is closed as vanished.
 */
export const LIVE_PING = "ping";
export const LIVE_PONG = "pong";

/** Close codes the hub uses (RFC 6455 §7.4.1, and 4000 from the private range). */
export const LIVE_CLOSE_CODES = {
  /** A binary frame: the protocol is JSON text. */
  unsupportedData: 1003,
  /** Text that is not JSON, not a known frame, or a second `resume`. */
  policyViolation: 1008,
  /** A frame longer than `LIVE_LIMITS.clientFrameBytes`. */
  messageTooBig: 1009,
  /** Nothing from the client for 1.5 × its keepalive: its peer is taken to have vanished. */
  keepaliveMissed: 4000,
} as const;

export const LIVE_LIMITS = {
  /** Client frames are a `resume` or a ping: a few dozen bytes. */
  clientFrameBytes: 1024,
  /** A published message, as JSON: live messages say what changed, never whole documents. */
  messageBytes: 16 * 1024,
  /** How many of a learner's latest messages the hub keeps for reconnecting clients. */
  retainedMessages: 100,
  /** `?keepalive=` in seconds: how often the client promises to ping. */
  keepaliveSeconds: { min: 5, max: 300, default: 30 },
  /** How long a ticket is valid (the brief allows up to 60 s; a client opens the socket right after asking). */
  ticketSeconds: 30,
} as const;

/** What a learner's hub answers `publish`. */
export interface LivePublishResult {
  /** The number the message was stamped with. */
  readonly seq: number;
  /** The sockets it was handed to: the learner's devices open at that moment. */
  readonly sockets: number;
}

/** `POST /api/live/ticket` answers this: open `url` (relative to the API's origin) before `expiresAt`. */
export interface LiveTicketResponse {
  readonly ticket: string;
  readonly expiresAt: string;
  /** `/api/live?ticket=…`, ready to be turned into a `wss:` URL. */
  readonly url: string;
}

/**
 * Set by the gateway only (clients' `x-platform-*` headers are dropped) on the upgrade it forwards: the ticket's
 * nonce and expiry (Unix seconds), which the learner's hub spends once.
 */
export const LIVE_TICKET_NONCE_HEADER = "x-platform-live-ticket-nonce";
export const LIVE_TICKET_EXPIRES_HEADER = "x-platform-live-ticket-expires";
