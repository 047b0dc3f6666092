import { describe, expect, it } from "vitest";
import { LIVE_CLOSE_CODES, LIVE_LIMITS } from "@platform/contracts";
import { catchUpFor } from "../src/live/catch-up.ts";
import { readClientFrame } from "../src/live/client-frames.ts";
import { readConnectParams } from "../src/live/connect-params.ts";
import { deliveryFrame } from "../src/live/delivery-frame.ts";
import { keepaliveDeadline, nextAlarmAt } from "../src/live/keepalive.ts";

describe("client frames", () => {
  it("accepts a resume with a sequence number", () => {
    expect(readClientFrame(JSON.stringify({ kind: "resume", after: 0 }))).toEqual({
      ok: true,
      frame: { kind: "resume", after: 0 },
    });
    expect(readClientFrame('{"kind":"resume","after":42}')).toMatchObject({ ok: true, frame: { after: 42 } });
  });

  it.each([
    ["not JSON", "hello", LIVE_CLOSE_CODES.policyViolation],
    ["a JSON string", '"resume"', LIVE_CLOSE_CODES.policyViolation],
    ["a JSON array", "[]", LIVE_CLOSE_CODES.policyViolation],
    ["null", "null", LIVE_CLOSE_CODES.policyViolation],
    ["an unknown kind", '{"kind":"subscribe"}', LIVE_CLOSE_CODES.policyViolation],
    ["a negative number", '{"kind":"resume","after":-1}', LIVE_CLOSE_CODES.policyViolation],
    ["a fraction", '{"kind":"resume","after":1.5}', LIVE_CLOSE_CODES.policyViolation],
    ["an unsafe integer", '{"kind":"resume","after":9007199254740993}', LIVE_CLOSE_CODES.policyViolation],
    ["a string number", '{"kind":"resume","after":"1"}', LIVE_CLOSE_CODES.policyViolation],
  ])("refuses %s with its policy code", (_, text, code) => {
    expect(readClientFrame(text)).toMatchObject({ ok: false, code });
  });

  it("refuses binary frames as unsupported data", () => {
    expect(readClientFrame(new ArrayBuffer(3))).toMatchObject({ ok: false, code: LIVE_CLOSE_CODES.unsupportedData });
  });

  it("measures the size in UTF-8 bytes, before parsing", () => {
    const limit = LIVE_LIMITS.clientFrameBytes;
    const padded = (pad: string) => JSON.stringify({ kind: "resume", after: 1, pad });
    const base = padded("").length;
    expect(readClientFrame(padded("x".repeat(limit - base)))).toMatchObject({ ok: true });
    expect(readClientFrame(padded("x".repeat(limit - base + 1)))).toMatchObject({
      ok: false,
      code: LIVE_CLOSE_CODES.messageTooBig,
    });
    // 3 bytes each in UTF-8: a third of the limit in characters is already over it.
    expect(readClientFrame(padded("€".repeat(Math.ceil(limit / 3))))).toMatchObject({
      ok: false,
      code: LIVE_CLOSE_CODES.messageTooBig,
    });
    expect(readClientFrame("{".repeat(limit + 1))).toMatchObject({ code: LIVE_CLOSE_CODES.messageTooBig });
  });
});

describe("catching up", () => {
  it("has nothing to send to a client that is current", () => {
    expect(catchUpFor(0, 0, null)).toEqual({ kind: "current" });
    expect(catchUpFor(7, 7, 1)).toEqual({ kind: "current" });
  });

  it("replays when every message after the client's number is still kept", () => {
    expect(catchUpFor(0, 3, 1)).toEqual({ kind: "replay" });
    expect(catchUpFor(50, 150, 51)).toEqual({ kind: "replay" });
  });

  it("sends a snapshot when one is missing, or the client knows numbers the hub never issued", () => {
    expect(catchUpFor(49, 150, 51)).toEqual({ kind: "snapshot" });
    expect(catchUpFor(4, 150, 51)).toEqual({ kind: "snapshot" });
    expect(catchUpFor(0, 3, null)).toEqual({ kind: "snapshot" });
    expect(catchUpFor(9, 3, 1)).toEqual({ kind: "snapshot" });
  });
});

describe("connect parameters", () => {
  const read = (query: string) => readConnectParams(new URLSearchParams(query));

  it("defaults to no replay and the default keepalive", () => {
    expect(read("")).toEqual({
      ok: true,
      params: { after: undefined, keepaliveSeconds: LIVE_LIMITS.keepaliveSeconds.default },
    });
    expect(read("after=0&keepalive=5")).toEqual({ ok: true, params: { after: 0, keepaliveSeconds: 5 } });
  });

  it.each([
    ["after=-1", ["query.after"]],
    ["after=1.5", ["query.after"]],
    ["after=", ["query.after"]],
    ["after=1e3", ["query.after"]],
    ["after=%00", ["query.after"]],
    ["keepalive=4", ["query.keepalive"]],
    ["keepalive=301", ["query.keepalive"]],
    ["keepalive=abc&after=x", ["query.after", "query.keepalive"]],
  ])("refuses %s naming the field", (query, paths) => {
    const result = read(query);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((error) => error.path)).toEqual(paths);
  });
});

describe("keepalive", () => {
  it("gives a socket one and a half of its keepalive after it was last heard", () => {
    expect(keepaliveDeadline(1_000, 30)).toBe(46_000);
  });

  it("sets the alarm for the earliest deadline, never sooner than a second away, and none without sockets", () => {
    expect(nextAlarmAt([], 0)).toBeNull();
    expect(nextAlarmAt([50_000, 20_000], 10_000)).toBe(20_000);
    expect(nextAlarmAt([10_100], 10_000)).toBe(11_000);
  });
});

describe("delivery frames", () => {
  const at = new Date("2026-11-30T12:00:00.000Z");

  it("stamps the message with its number and time", () => {
    expect(JSON.parse(deliveryFrame(3, at, { type: "progress", percent: 40 }))).toEqual({
      kind: "message",
      seq: 3,
      at: "2026-11-30T12:00:00.000Z",
      message: { type: "progress", percent: 40 },
    });
  });

  it("refuses what is not a message, and messages over the size limit", () => {
    expect(() => deliveryFrame(1, at, { type: "" })).toThrow(TypeError);
    expect(() => deliveryFrame(1, at, {} as { type: string })).toThrow(TypeError);
    expect(() => deliveryFrame(1, at, { type: "big", blob: "x".repeat(LIVE_LIMITS.messageBytes) })).toThrow(RangeError);
    expect(() => deliveryFrame(1, at, { type: "big", blob: "€".repeat(LIVE_LIMITS.messageBytes / 3) })).toThrow(
      RangeError,
    );
  });
});
