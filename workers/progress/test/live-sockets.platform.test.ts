import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LIVE_CLOSE_CODES, LIVE_LIMITS } from "@platform/contracts";
import { db } from "../../../test/support/database.ts";
import type { Person } from "../../../test/support/people.ts";
import { liveHubs, openFor, settledLearner, withLiveHubs, type LiveClient } from "./live-support.ts";

/**
 * What the learner's hub does with its sockets: a broken client loses only its own socket; a silent one is
 * closed by the hub's alarm; and the sockets outlive the object itself being evicted from memory.
 */

let hubs: Awaited<ReturnType<typeof liveHubs>>;
const open: LiveClient[] = [];

/**
 * An open socket of `person`'s, its ready frame taken. The learners here come from `settledLearner`: their hub
 * already numbered their welcome, and the numbers below count on from its `base`.
 */
async function device(person: Person, query = ""): Promise<LiveClient> {
  const client = await openFor(person, query);
  open.push(client);
  expect(await client.next()).toMatchObject({ kind: "ready" });
  return client;
}

beforeAll(async () => {
  hubs = await liveHubs();
});

afterAll(async () => {
  for (const client of open) client.close();
  await hubs?.dispose();
  await db.end();
});

describe("a client that breaks the protocol loses its own socket, and only that", () => {
  it.each([
    ["text that is not JSON", "hello there", LIVE_CLOSE_CODES.policyViolation],
    [
      "JSON that is not a frame",
      JSON.stringify({ kind: "subscribe", to: "everyone" }),
      LIVE_CLOSE_CODES.policyViolation,
    ],
    ["a resume without a number", JSON.stringify({ kind: "resume", after: "zero" }), LIVE_CLOSE_CODES.policyViolation],
    [
      "a frame over the size limit",
      JSON.stringify({ kind: "resume", after: 0, pad: "x".repeat(LIVE_LIMITS.clientFrameBytes) }),
      LIVE_CLOSE_CODES.messageTooBig,
    ],
    ["a binary frame", Buffer.from([1, 2, 3]), LIVE_CLOSE_CODES.unsupportedData],
  ])(
    "%s closes that socket with its policy code; the learner's other socket still receives",
    async (_, frame, code) => {
      const ada = await settledLearner("live-broken");
      const broken = await device(ada);
      const healthy = await device(ada);
      broken.send(frame);
      expect((await broken.closed).code).toBe(code);

      const { sockets } = await hubs.hubOf(ada.userId).publish({ type: "progress" });
      expect(sockets).toBe(1);
      expect(await healthy.next()).toMatchObject({ kind: "message", seq: ada.base + 1 });
    },
  );

  it("a second resume closes it too: catch-up is once per socket", async () => {
    const ada = await settledLearner("live-resume-twice");
    const socket = await device(ada);
    socket.send(JSON.stringify({ kind: "resume", after: ada.base }));
    expect(await socket.next()).toEqual({ kind: "ready", seq: ada.base });
    socket.send(JSON.stringify({ kind: "resume", after: ada.base }));
    expect((await socket.closed).code).toBe(LIVE_CLOSE_CODES.policyViolation);
  });
});

describe("heartbeats", () => {
  it("answers ping with pong, and the alarm closes a socket that stops pinging while one that pings stays", async () => {
    const ada = await settledLearner("live-keepalive");
    const silent = await device(ada, "&keepalive=5");
    const alive = await device(ada, "&keepalive=5");
    const pongs: string[] = [];
    alive.raw.on("message", (data) => {
      if (data.toString() === "pong") pongs.push("pong");
    });
    alive.send("ping");
    const pinger = setInterval(() => alive.send("ping"), 2_000);
    try {
      // 1.5 × 5 s of silence, then the alarm: bounded well above, never timed.
      const closure = await Promise.race([
        silent.closed,
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error("not closed within 30 s")), 30_000)),
      ]);
      expect(closure).toEqual({ code: LIVE_CLOSE_CODES.keepaliveMissed, reason: "keepalive missed" });
      expect(pongs.length).toBeGreaterThan(0);
      const { sockets } = await hubs.hubOf(ada.userId).publish({ type: "progress" });
      expect(sockets).toBe(1);
      expect(await alive.next()).toMatchObject({ kind: "message", seq: ada.base + 1 });
    } finally {
      clearInterval(pinger);
    }
  }, 60_000);
});

describe("hibernation", () => {
  it("keeps the sockets and what each carries while the object is evicted; they still receive once it is back", async () => {
    const ada = await settledLearner("live-hibernate");
    const { base } = ada;
    const phone = await device(ada);
    // Opened with ?after=: it has had its catch-up, which its attachment must remember through the eviction.
    const laptop = await device(ada, `&after=${base}`);
    const before = await withLiveHubs((own) => own.hubOf(ada.userId).stats());
    expect(before.sockets).toBe(2);

    // workerd evicts an object 10 s after its last event when every connection it holds is hibernatable (no
    // call in flight, no stub of a caller left holding it: hence the proxy of its own above). The phone pings
    // meanwhile, which the runtime answers without waking the object.
    const pinger = setInterval(() => phone.send("ping"), 3_000);
    await new Promise((resolve) => setTimeout(resolve, 16_000));
    clearInterval(pinger);

    const { sockets } = await hubs.hubOf(ada.userId).publish({ type: "progress", after: "eviction" });
    expect(sockets).toBe(2);
    expect(await phone.next()).toMatchObject({ kind: "message", seq: base + 1, message: { after: "eviction" } });
    expect(await laptop.next()).toMatchObject({ kind: "message", seq: base + 1 });
    const after = await hubs.hubOf(ada.userId).stats();
    expect(after.instance, "a new instance of the object: the old one was evicted").not.toBe(before.instance);
    expect(after).toMatchObject({ sockets: 2, lastSeq: base + 1 });

    // What each socket carried came back with it: the phone may still resume once, the laptop may not.
    phone.send(JSON.stringify({ kind: "resume", after: base }));
    expect(await phone.next()).toMatchObject({ kind: "message", seq: base + 1 });
    expect(await phone.next()).toEqual({ kind: "ready", seq: base + 1 });
    laptop.send(JSON.stringify({ kind: "resume", after: base }));
    expect((await laptop.closed).code).toBe(LIVE_CLOSE_CODES.policyViolation);
  }, 60_000);
});
