import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LIVE_LIMITS, type LiveServerFrame } from "@platform/contracts";
import { db } from "../../../test/support/database.ts";
import type { Person } from "../../../test/support/people.ts";
import { liveHubs, openFor, settledLearner, type LiveClient } from "./live-support.ts";

/**
 * The live channel's fan-out and catch-up, on the whole stack: `ws` clients through the gateway's upgrade, and
 * messages published by RPC into the learner's LiveHub, as the progress worker's `pushToLearner` does. Each
 * learner's hub already numbered their welcome notice: the numbers here count on from `base`, the hub's number
 * once it has (live-support.ts).
 */

let hubs: Awaited<ReturnType<typeof liveHubs>>;
const open: LiveClient[] = [];

async function device(person: Person, query = ""): Promise<LiveClient> {
  const client = await openFor(person, query);
  open.push(client);
  return client;
}

const publish = (person: Person, type: string, data: Record<string, unknown> = {}) =>
  hubs.hubOf(person.userId).publish({ type, ...data });

beforeAll(async () => {
  hubs = await liveHubs();
});

afterAll(async () => {
  for (const client of open) client.close();
  await hubs?.dispose();
  await db.end();
});

const seqs = (frames: readonly LiveServerFrame[]) => frames.map((frame) => `${frame.kind}:${frame.seq}`);

async function take(client: LiveClient, count: number): Promise<LiveServerFrame[]> {
  const frames: LiveServerFrame[] = [];
  for (let i = 0; i < count; i += 1) frames.push(await client.next());
  return frames;
}

describe("fan-out to one learner's devices", () => {
  it("sends each message to every socket of the learner, in order, with increasing sequence numbers", async () => {
    const ada = await settledLearner("live-fanout");
    const { base } = ada;
    const phone = await device(ada);
    const laptop = await device(ada);
    expect(await phone.next()).toEqual({ kind: "ready", seq: base });
    expect(await laptop.next()).toEqual({ kind: "ready", seq: base });

    expect(await publish(ada, "progress", { lessonId: "l1", percent: 50 })).toEqual({ seq: base + 1, sockets: 2 });
    await publish(ada, "lesson-completed", { lessonId: "l1" });
    await publish(ada, "course-completed", { courseId: "c1" });

    for (const socket of [phone, laptop]) {
      const frames = await take(socket, 3);
      expect(seqs(frames)).toEqual([`message:${base + 1}`, `message:${base + 2}`, `message:${base + 3}`]);
      expect(frames.map((frame) => frame.kind === "message" && frame.message.type)).toEqual([
        "progress",
        "lesson-completed",
        "course-completed",
      ]);
      expect(frames[0]).toMatchObject({ message: { type: "progress", lessonId: "l1", percent: 50 } });
      expect(frames.every((frame) => frame.kind === "message" && !Number.isNaN(Date.parse(frame.at)))).toBe(true);
    }
  });

  it("never sends one learner's messages to another learner's socket", async () => {
    const ada = await settledLearner("live-owner");
    const eve = await settledLearner("live-other");
    const adaSocket = await device(ada);
    const eveSocket = await device(eve);
    expect(await adaSocket.next()).toEqual({ kind: "ready", seq: ada.base });
    expect(await eveSocket.next()).toEqual({ kind: "ready", seq: eve.base });

    for (let i = 0; i < 3; i += 1) await publish(ada, "progress", { secret: `ada-${i}` });
    expect(seqs(await take(adaSocket, 3))).toEqual([
      `message:${ada.base + 1}`,
      `message:${ada.base + 2}`,
      `message:${ada.base + 3}`,
    ]);

    // Eve's own message is the first thing her socket gets: nothing of Ada's came before it.
    await publish(eve, "progress", { mine: true });
    expect(await eveSocket.next()).toMatchObject({ kind: "message", seq: eve.base + 1, message: { mine: true } });
    expect(eveSocket.pending()).toEqual([]);
  });

  it("answers a publish that is not a message with an error, sends nothing and uses no number", async () => {
    const ada = await settledLearner("live-bad-publish");
    const socket = await device(ada);
    expect(await socket.next()).toEqual({ kind: "ready", seq: ada.base });
    const hub = hubs.hubOf(ada.userId);
    await expect(hub.publish({ type: "" })).rejects.toThrow(/type/);
    expect(await hub.publish({ type: "progress" })).toMatchObject({ seq: ada.base + 1 });
    expect(await socket.next()).toMatchObject({ kind: "message", seq: ada.base + 1 });
  });
});

describe("catching up after a reconnect", () => {
  it("replays what a device missed, in order, when it reconnects with ?after=", async () => {
    const ada = await settledLearner("live-resume");
    const { base } = ada;
    const tablet = await device(ada);
    expect(await tablet.next()).toEqual({ kind: "ready", seq: base });
    await publish(ada, "progress", { n: 1 });
    await publish(ada, "progress", { n: 2 });
    expect(seqs(await take(tablet, 2))).toEqual([`message:${base + 1}`, `message:${base + 2}`]);
    tablet.close();
    await tablet.closed;

    // Missed while the tablet was away.
    await publish(ada, "progress", { n: 3 });
    await publish(ada, "lesson-completed", { n: 4 });
    await publish(ada, "progress", { n: 5 });

    const back = await device(ada, `&after=${base + 2}`);
    const frames = await take(back, 4);
    expect(seqs(frames)).toEqual([
      `message:${base + 3}`,
      `message:${base + 4}`,
      `message:${base + 5}`,
      `ready:${base + 5}`,
    ]);
    expect(frames.slice(0, 3).map((frame) => frame.kind === "message" && frame.message.n)).toEqual([3, 4, 5]);

    // And live again from there.
    await publish(ada, "progress", { n: 6 });
    expect(await back.next()).toMatchObject({ kind: "message", seq: base + 6 });
  });

  it("replays after a resume frame sent as the first message, for a client that opened without ?after=", async () => {
    const ada = await settledLearner("live-resume-frame");
    const { base } = ada;
    for (let n = 1; n <= 4; n += 1) await publish(ada, "progress", { n });
    const socket = await device(ada);
    expect(await socket.next()).toEqual({ kind: "ready", seq: base + 4 });
    socket.send(JSON.stringify({ kind: "resume", after: base + 1 }));
    expect(seqs(await take(socket, 4))).toEqual([
      `message:${base + 2}`,
      `message:${base + 3}`,
      `message:${base + 4}`,
      `ready:${base + 4}`,
    ]);
  });

  it("answers an up-to-date client with ready only", async () => {
    const ada = await settledLearner("live-current");
    await publish(ada, "progress");
    const socket = await device(ada, `&after=${ada.base + 1}`);
    expect(await socket.next()).toEqual({ kind: "ready", seq: ada.base + 1 });
  });

  it("sends a snapshot frame when the messages after the client's number are no longer kept", async () => {
    const ada = await settledLearner("live-too-old");
    // The hub's last number once this test's messages are in: the welcome's, then these.
    const total = ada.base + LIVE_LIMITS.retainedMessages + 5;
    for (let n = ada.base + 1; n <= total; n += 1) await publish(ada, "progress", { n });
    const socket = await device(ada, `&after=${ada.base + 3}`);
    expect(await socket.next()).toEqual({ kind: "snapshot", seq: total });
    // The window itself still replays: the oldest kept number is total - retained + 1.
    const recent = await device(ada, `&after=${total - LIVE_LIMITS.retainedMessages}`);
    const frames = await take(recent, LIVE_LIMITS.retainedMessages + 1);
    expect(frames[0]).toMatchObject({ kind: "message", seq: total - LIVE_LIMITS.retainedMessages + 1 });
    expect(frames.at(-1)).toEqual({ kind: "ready", seq: total });
    // Live messages still follow the snapshot.
    await publish(ada, "progress");
    expect(await socket.next()).toMatchObject({ kind: "message", seq: total + 1 });
  });

  it("sends a snapshot frame to a client that claims a number the hub never issued", async () => {
    const ada = await settledLearner("live-future");
    await publish(ada, "progress");
    const socket = await device(ada, `&after=${ada.base + 40}`);
    expect(await socket.next()).toEqual({ kind: "snapshot", seq: ada.base + 1 });
  });
});
