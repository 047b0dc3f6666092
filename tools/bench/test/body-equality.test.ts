import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertSameAnswer, captureResponse, DifferentAnswersError, differenceBetween } from "../src/body-equality.ts";

// Two real HTTP servers answering by path, captured over the wire the way the bench captures
// the platform and the Node peer before it measures them.
const ANSWERS: Record<string, { status: number; type: string; body: string }> = {
  "/lessons": { status: 200, type: "application/json", body: '{"courseId":"c1","lessons":[{"title":"Één"}]}' },
  "/lessons-one-byte-off": {
    status: 200,
    type: "application/json; charset=UTF-8",
    body: '{"courseId":"c1","lessons":[{"title":"Eén"}]}',
  },
  "/lessons-keys-reordered": {
    status: 200,
    type: "application/json",
    body: '{"lessons":[{"title":"Één"}],"courseId":"c1"}',
  },
  "/lessons-as-text": { status: 200, type: "text/plain", body: '{"courseId":"c1","lessons":[{"title":"Één"}]}' },
  "/lessons-longer": {
    status: 200,
    type: "application/json",
    body: '{"courseId":"c1","lessons":[{"title":"Één"}]} ',
  },
  "/missing": { status: 404, type: "application/json", body: '{"courseId":"c1","lessons":[{"title":"Één"}]}' },
};

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    const answer = ANSWERS[request.url ?? ""] ?? { status: 500, type: "text/plain", body: "?" };
    response.writeHead(answer.status, { "content-type": answer.type });
    response.end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const platform = (path: string) => captureResponse("platform", `${base}${path}`);
const peer = (path: string) => captureResponse("Node peer", `${base}${path}`);

describe("the peer's answer against the platform's", () => {
  it("passes identical bytes (a charset parameter on the same media type is no difference)", async () => {
    expect(differenceBetween(await platform("/lessons"), await peer("/lessons"))).toBeUndefined();
    expect(() =>
      assertSameAnswer("lesson list", { ...ANSWERED, contentType: "application/json; charset=UTF-8" }, ANSWERED),
    ).not.toThrow();
  });

  it("names the first differing byte and shows both sides around it", async () => {
    const difference = differenceBetween(await platform("/lessons"), await peer("/lessons-one-byte-off"));
    // `{"courseId":"c1","lessons":[{"title":"` is 38 bytes; then É (2 bytes in UTF-8) against E.
    expect(difference).toMatch(/^the bodies differ from byte 38 \(platform: 47 bytes, Node peer: 46 bytes\)/);
    expect(difference).toContain("platform:");
    expect(difference).toContain("Één");
    expect(difference).toContain("Eén");
  });

  it("compares bytes, not parsed JSON: the same object with its keys reordered differs", async () => {
    expect(differenceBetween(await platform("/lessons"), await peer("/lessons-keys-reordered"))).toMatch(
      /differ from byte 2/,
    );
  });

  it("catches a body that only grows at the end", async () => {
    expect(differenceBetween(await platform("/lessons"), await peer("/lessons-longer"))).toMatch(
      /differ from byte 47 \(platform: 47 bytes, Node peer: 48 bytes\)/,
    );
  });

  it("refuses another status or media type even when the bodies match", async () => {
    expect(differenceBetween(await platform("/lessons"), await peer("/missing"))).toBe(
      "status 200 from the platform, 404 from the Node peer",
    );
    expect(differenceBetween(await platform("/lessons"), await peer("/lessons-as-text"))).toMatch(
      /^content type "application\/json" from the platform, "text\/plain" from the Node peer$/,
    );
  });

  it("fails loudly with what was compared", async () => {
    const a = await platform("/lessons");
    const b = await peer("/lessons-one-byte-off");
    expect(() => assertSameAnswer("GET /api/courses/c1/lessons", a, b)).toThrow(DifferentAnswersError);
    expect(() => assertSameAnswer("GET /api/courses/c1/lessons", a, b)).toThrow(
      /^GET \/api\/courses\/c1\/lessons: the bodies differ/,
    );
  });
});

const ANSWERED = {
  source: "platform",
  url: "http://example.test/",
  status: 200,
  contentType: "application/json",
  body: new TextEncoder().encode("{}"),
};
