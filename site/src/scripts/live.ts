/**
 * The page's one live socket (docs/live.md), shared by every part of the page that shows live
 * data (progress, the notifications badge). It opens on the first subscription, gets a fresh
 * single-use ticket from the site for every (re)connection, resumes after the last sequence
 * number it saw, reconnects by itself with growing pauses, and tells subscribers to reload from
 * the API when the hub says it no longer has what was missed (`snapshot`). Frames can repeat
 * around a reconnect: they are deduplicated by `seq`.
 */
import type { LiveMessage, LiveServerFrame } from "@platform/contracts";

export interface LiveSubscriber {
  /** A published message, once, in order. */
  message?(message: LiveMessage, seq: number): void;
  /** Something was missed while away: reload what is shown from the API. */
  resync?(): void;
  /** The socket is open and caught up (`true`), or closed and retrying (`false`). */
  connection?(open: boolean): void;
}

const subscribers = new Set<LiveSubscriber>();
const KEEPALIVE_SECONDS = 30;
const MAX_PAUSE_MS = 30_000;

let socket: WebSocket | undefined;
let lastSeq: number | undefined;
let failures = 0;
let started = false;
let stopped = false;
let pingTimer: ReturnType<typeof setInterval> | undefined;

/** Listens to the live socket; returns the function that stops listening. */
export function subscribeLive(subscriber: LiveSubscriber): () => void {
  subscribers.add(subscriber);
  if (!started) {
    started = true;
    void connect();
    // Coming back to a tab after sleep: reconnect at once instead of waiting out a long pause.
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible" && !socket && !stopped) void connect();
    });
  }
  return () => subscribers.delete(subscriber);
}

function tell(each: (subscriber: LiveSubscriber) => void): void {
  for (const subscriber of subscribers) {
    try {
      each(subscriber);
    } catch (error) {
      console.error("a live subscriber failed", error);
    }
  }
}

async function ticketUrl(): Promise<string | "signed-out" | undefined> {
  try {
    const response = await fetch("/live/ticket", { method: "POST", headers: { accept: "application/json" } });
    if (response.status === 401) return "signed-out";
    if (!response.ok) return undefined;
    const { url } = (await response.json()) as { url: string };
    const address = new URL(url, location.href);
    address.protocol = location.protocol === "https:" ? "wss:" : "ws:";
    address.searchParams.set("keepalive", String(KEEPALIVE_SECONDS));
    if (lastSeq !== undefined) address.searchParams.set("after", String(lastSeq));
    return address.href;
  } catch {
    return undefined;
  }
}

async function connect(): Promise<void> {
  if (socket || stopped) return;
  const url = await ticketUrl();
  if (url === "signed-out") {
    stopped = true;
    return;
  }
  if (!url) return retryLater();
  const opened = new WebSocket(url);
  socket = opened;
  opened.addEventListener("message", (event) => receive(String(event.data)));
  opened.addEventListener("close", () => {
    if (socket === opened) socket = undefined;
    clearInterval(pingTimer);
    tell((subscriber) => subscriber.connection?.(false));
    retryLater();
  });
  opened.addEventListener("open", () => {
    pingTimer = setInterval(() => opened.readyState === WebSocket.OPEN && opened.send("ping"), KEEPALIVE_SECONDS * 500);
  });
}

function receive(data: string): void {
  if (data === "pong") return;
  let frame: LiveServerFrame;
  try {
    frame = JSON.parse(data) as LiveServerFrame;
  } catch {
    return;
  }
  if (frame.kind === "message") {
    if (lastSeq !== undefined && frame.seq <= lastSeq) return;
    lastSeq = frame.seq;
    tell((subscriber) => subscriber.message?.(frame.message, frame.seq));
  } else if (frame.kind === "ready") {
    failures = 0;
    lastSeq = Math.max(lastSeq ?? 0, frame.seq);
    tell((subscriber) => subscriber.connection?.(true));
  } else if (frame.kind === "snapshot") {
    lastSeq = frame.seq;
    tell((subscriber) => subscriber.resync?.());
  }
}

function retryLater(): void {
  if (stopped) return;
  failures += 1;
  const pause = Math.min(MAX_PAUSE_MS, 500 * 2 ** Math.min(failures, 6));
  // Jitter, so every tab of a restarted server does not come back in the same instant.
  setTimeout(() => void connect(), pause / 2 + Math.random() * (pause / 2));
}
