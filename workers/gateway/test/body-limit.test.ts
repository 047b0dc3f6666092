import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { MAX_UPLOAD_PART_BYTES, isPartUpload, limitBodySize } from "../src/body-limit.ts";

/**
 * The gateway's body limits in isolation: 1 MiB (MAX_BODY_BYTES) for every route but the upload
 * part route, which instead takes up to MAX_UPLOAD_PART_BYTES and only with a declared length.
 * The platform test (body-limit.platform.test.ts) proves the same through the running gateway.
 */
const app = new Hono<{ Bindings: { MAX_BODY_BYTES: string } }>();
app.use(limitBodySize);
app.all("*", async (c) => c.json({ received: (await c.req.arrayBuffer()).byteLength }));

const env = { MAX_BODY_BYTES: "1024" };
const PART = "/api/courses/0190c0de-0000-7000-8000-000000000001/uploads/0190c0de-0000-7000-8000-000000000002/parts/3";

function send(method: string, path: string, body: BodyInit, headers: Record<string, string> = {}) {
  return app.request(
    path,
    { method, body, headers, ...(body instanceof ReadableStream ? { duplex: "half" } : {}) } as RequestInit,
    env,
  );
}

function stream(bytes: number): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      controller.enqueue(new Uint8Array(bytes));
      controller.close();
    },
  });
}

describe("the part upload route", () => {
  it("is exactly PUT on /api/courses/{id}/uploads/{uploadId}/parts/{n}", () => {
    expect(isPartUpload("PUT", PART)).toBe(true);
    expect(isPartUpload("POST", PART)).toBe(false);
    expect(isPartUpload("PUT", `${PART}/extra`)).toBe(false);
    expect(isPartUpload("PUT", "/api/courses/x/uploads/y/complete")).toBe(false);
    expect(isPartUpload("PUT", "/api/users/x/uploads/y/parts/1")).toBe(false);
  });

  it("is also PUT on the site's /studio/uploads/{id}/{uploadId}/parts/{n}, which streams the part on", () => {
    const sitePart = "/studio/uploads/c/u/parts/2";
    expect(isPartUpload("PUT", sitePart)).toBe(true);
    expect(isPartUpload("POST", sitePart)).toBe(false);
    expect(isPartUpload("PUT", `${sitePart}/extra`)).toBe(false);
    expect(isPartUpload("PUT", "/studio/uploads/c/u/complete")).toBe(false);
    expect(isPartUpload("PUT", "/studio/courses/c/u/parts/2")).toBe(false);
  });

  it("takes a declared body far over MAX_BODY_BYTES, streamed through whole", async () => {
    const response = await send("PUT", PART, new Uint8Array(64 * 1024), { "content-length": String(64 * 1024) });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: 64 * 1024 });
  });

  it("refuses a declared length over the part maximum with 413, before reading the body", async () => {
    const response = await send("PUT", PART, stream(10), { "content-length": String(MAX_UPLOAD_PART_BYTES + 1) });
    expect(response.status).toBe(413);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(await response.json()).toMatchObject({ type: "/problems/payload-too-large", status: 413 });
  });

  it("refuses a chunked part (no length) with 411 instead of buffering it", async () => {
    const response = await send("PUT", PART, stream(10));
    expect(response.status).toBe(411);
    expect(await response.json()).toMatchObject({ status: 411 });
  });

  it("keeps the part maximum under the 100 MiB a Worker accepts", () => {
    expect(MAX_UPLOAD_PART_BYTES).toBeLessThan(100 * 1024 * 1024);
  });
});

describe("every other route", () => {
  it("keeps MAX_BODY_BYTES, the same body on a PUT elsewhere and a POST to the part path", async () => {
    const big = new Uint8Array(2048);
    expect((await send("PUT", "/api/courses/x", big, { "content-length": "2048" })).status).toBe(413);
    expect((await send("POST", PART, big, { "content-length": "2048" })).status).toBe(413);
    expect((await send("POST", "/api/courses/x", new Uint8Array(1024), { "content-length": "1024" })).status).toBe(200);
  });
});
