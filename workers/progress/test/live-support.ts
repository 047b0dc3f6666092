import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inject, vi } from "vitest";
import { getPlatformProxy } from "wrangler";
import WebSocket from "ws";
import type { LiveMessage, LiveServerFrame, LiveTicketResponse } from "@platform/contracts";
import { api, gatewayUrl, newClientAddress } from "../../../test/support/api.ts";
import { db } from "../../../test/support/database.ts";
import { learner, type Person } from "../../../test/support/people.ts";
import { ASYNC_EFFECTS } from "../../../test/support/polling.ts";

/** Live-channel clients for the platform tests: real `ws` sockets through the gateway, and the hub's own RPC. */

/** A learner whose hub has had the messages registration brings: `base` is the hub's sequence number after them. */
export interface SettledPerson extends Person {
  readonly base: number;
}

/**
 * Waits until the person's in-app welcome (the notifications worker's answer to USER_CREATED, published to their
 * LiveHub a moment after registration) is no longer pending, and answers the hub's sequence number from then on.
 * Sent: the number the hub gave the welcome (its `live-seq:{n}`). Failed: whatever the hub numbered meanwhile,
 * asked of the hub itself (through a proxy of its own, so nothing is left holding the object).
 *
 * A test that counts from the hub's numbers counts from `base`: the welcome can no longer land in its middle.
 * Uses the shared `db` pool: a file that calls this ends it in its `afterAll`.
 */
export async function welcomeSettled(userId: string): Promise<number> {
  const welcome = await vi.waitFor(async () => {
    const { rows } = await db.query<{ status: string; provider_id: string | null }>(
      `select status, provider_id from notifications.deliveries
        where user_id = $1 and channel = 'in_app' and template = 'welcome'`,
      [userId],
    );
    const [row, ...more] = rows;
    if (!row || more.length > 0) throw new Error(`expected one in-app welcome for ${userId}, found ${rows.length}`);
    if (row.status === "pending") throw new Error(`the in-app welcome for ${userId} is still pending`);
    return row;
  }, ASYNC_EFFECTS);
  if (welcome.status === "sent") {
    const seq = /^live-seq:(\d+)$/.exec(welcome.provider_id ?? "")?.[1];
    if (seq === undefined) throw new Error(`the in-app welcome was sent with provider id ${welcome.provider_id}`);
    return Number(seq);
  }
  return (await withLiveHubs((own) => own.hubOf(userId).stats())).lastSeq;
}

/** A new learner (`learner(tag)`), once their welcome has settled on their hub: see `welcomeSettled`. */
export async function settledLearner(tag: string): Promise<SettledPerson> {
  const person = await learner(tag);
  return { ...person, base: await welcomeSettled(person.userId) };
}

export async function ticketFor(person: Person): Promise<LiveTicketResponse> {
  const answer = await api<LiveTicketResponse>("POST", "/api/live/ticket", { token: person.token });
  if (answer.status !== 200) throw new Error(`ticket answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body;
}

export const wsUrl = (path: string) => `${gatewayUrl.replace(/^http/, "ws")}${path}`;

export interface Refusal {
  readonly status: number;
  readonly contentType: string | undefined;
  readonly body: { type?: string; detail?: string; errors?: { path: string }[] };
}

export interface Closure {
  readonly code: number;
  readonly reason: string;
}

/**
 * One device's socket: frames kept in arrival order, taken with `next()`; `closed` settles when the
 * server (or the test) closes it.
 */
export class LiveClient {
  private readonly frames: LiveServerFrame[] = [];
  private readonly waiting: ((frame: LiveServerFrame) => void)[] = [];
  readonly closed: Promise<Closure>;
  readonly raw: WebSocket;
  /** The headers of the 101 that opened it. */
  upgradeHeaders: Record<string, string | string[] | undefined> = {};

  constructor(raw: WebSocket) {
    this.raw = raw;
    raw.on("message", (data, isBinary) => {
      const text = data.toString();
      if (!isBinary && text === "pong") return;
      const frame = JSON.parse(text) as LiveServerFrame;
      const waiter = this.waiting.shift();
      if (waiter) waiter(frame);
      else this.frames.push(frame);
    });
    this.closed = new Promise((resolve) =>
      raw.on("close", (code, reason) => resolve({ code, reason: reason.toString() })),
    );
  }

  /** The next frame, waiting at most `timeoutMs` (a bound on the wait, not a timing assertion). */
  next(timeoutMs = 10_000): Promise<LiveServerFrame> {
    const queued = this.frames.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.splice(this.waiting.indexOf(onFrame), 1);
        reject(new Error(`no frame within ${timeoutMs} ms`));
      }, timeoutMs);
      const onFrame = (frame: LiveServerFrame) => {
        clearTimeout(timer);
        resolve(frame);
      };
      this.waiting.push(onFrame);
    });
  }

  /** Frames that arrived and were not taken yet. */
  pending(): readonly LiveServerFrame[] {
    return [...this.frames];
  }

  send(text: string | Buffer): void {
    this.raw.send(text);
  }

  close(): void {
    this.raw.close();
  }
}

/** Opens `path` (`/api/live?ticket=…&after=…`) as a WebSocket; resolves with the client, or the refusal before upgrade. */
export function connect(
  path: string,
  headers: Record<string, string> = {},
): Promise<{ ok: true; client: LiveClient } | { ok: false; refusal: Refusal }> {
  return new Promise((resolve, reject) => {
    const options: WebSocket.ClientOptions & { closeTimeout: number } = {
      headers: { "cf-connecting-ip": newClientAddress(), ...headers },
      // Once the server's close frame is in and answered, stop waiting for it to drop the connection: workerd
      // drops the TCP connection of a socket its object closed from an alarm only when the object leaves
      // memory. (`ws` has the option; its type declarations do not know it yet.)
      closeTimeout: 1_000,
    };
    const raw = new WebSocket(wsUrl(path), options);
    // Listening from the start: frames sent with the 101 can arrive with the `open` event.
    const client = new LiveClient(raw);
    raw.once("upgrade", (response) => (client.upgradeHeaders = response.headers));
    raw.once("open", () => resolve({ ok: true, client }));
    raw.once("unexpected-response", (_request, response) => {
      let text = "";
      response.on("data", (chunk: Buffer) => (text += chunk.toString()));
      response.on("end", () => {
        resolve({
          ok: false,
          refusal: {
            status: response.statusCode ?? 0,
            contentType: response.headers["content-type"],
            body: text ? (JSON.parse(text) as Refusal["body"]) : {},
          },
        });
        raw.terminate();
      });
    });
    raw.once("error", (error) => reject(error));
  });
}

/** Connects with a fresh ticket of `person`, and fails the test if the upgrade is refused. */
export async function openFor(person: Person, query = ""): Promise<LiveClient> {
  const { url } = await ticketFor(person);
  const answer = await connect(`${url}${query}`);
  if (!answer.ok) throw new Error(`upgrade refused: ${answer.refusal.status} ${JSON.stringify(answer.refusal.body)}`);
  return answer.client;
}

export interface HubRpc {
  publish(message: LiveMessage): Promise<{ seq: number; sockets: number }>;
  stats(): Promise<{ instance: string; sockets: number; lastSeq: number }>;
}

/**
 * The stack's LiveHub namespace from Node, through wrangler's platform proxy and the stack's dev registry: RPC
 * into the same objects the gateway's upgrades reach, as the progress worker's own `pushToLearner` makes it.
 */
export async function liveHubs(): Promise<{ hubOf(userId: string): HubRpc; dispose(): Promise<void> }> {
  process.env.WRANGLER_REGISTRY_PATH = inject("registryPath");
  const folder = mkdtempSync(join(tmpdir(), "live-hub-caller-"));
  const config = join(folder, "wrangler.json");
  writeFileSync(
    config,
    JSON.stringify({
      name: "live-hub-caller",
      compatibility_date: "2026-11-01",
      durable_objects: { bindings: [{ name: "LIVE_HUB", class_name: "LiveHub", script_name: "platform-progress" }] },
    }),
  );
  const proxy = await getPlatformProxy<{ LIVE_HUB: { idFromName(name: string): unknown; get(id: unknown): HubRpc } }>({
    configPath: config,
    persist: { path: join(folder, "state") },
  });
  const namespace = proxy.env.LIVE_HUB;
  // Answers are copied out at once: the proxy hands back lazy stubs, and one left unread keeps the call, and so
  // the object, alive (which would keep it from ever being evicted).
  const hubOf = (userId: string): HubRpc => {
    const stub = namespace.get(namespace.idFromName(userId));
    return {
      publish: async (message) => {
        const { seq, sockets } = await stub.publish(message);
        return { seq, sockets };
      },
      stats: async () => {
        const { instance, sockets, lastSeq } = await stub.stats();
        return { instance, sockets, lastSeq };
      },
    };
  };
  return {
    hubOf,
    dispose: async () => {
      await proxy.dispose();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

/**
 * One call through a proxy of its own, disposed before this returns: nothing of the call is left holding the
 * object (the hibernation test needs it free to be evicted).
 */
export async function withLiveHubs<T>(work: (hubs: { hubOf(userId: string): HubRpc }) => Promise<T>): Promise<T> {
  const hubs = await liveHubs();
  try {
    return await work(hubs);
  } finally {
    await hubs.dispose();
  }
}
