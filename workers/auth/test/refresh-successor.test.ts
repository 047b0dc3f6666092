import { describe, expect, it } from "vitest";
import { newRefreshToken, parseRefreshToken, rotationKey, successorOf } from "../src/refresh-token-format.ts";

const user = "0192f3a0-0000-7000-8000-000000000001";
const family = "0192f3a0-0000-7000-8000-000000000002";

describe("a refresh token's successor", () => {
  it("is the same for the same token (a raced refresh gets what the first one got), in the same family", async () => {
    const key = await rotationKey('[{"kid":"a"}]');
    const token = newRefreshToken(user, family);
    const first = await successorOf(token, key);
    expect(first).toBe(await successorOf(token, key));
    expect(first).not.toBe(token);
    expect(parseRefreshToken(first ?? "")).toEqual({ userId: user, familyId: family });
  });

  it("differs between tokens, and cannot be computed without the worker's key", async () => {
    const token = newRefreshToken(user, family);
    const ours = await successorOf(token, await rotationKey('[{"kid":"a"}]'));
    expect(ours).not.toBe(await successorOf(newRefreshToken(user, family), await rotationKey('[{"kid":"a"}]')));
    expect(ours).not.toBe(await successorOf(token, await rotationKey('[{"kid":"b"}]')));
  });

  it("is undefined for something that is not a refresh token", async () => {
    expect(await successorOf("rt1.nope", await rotationKey("x"))).toBeUndefined();
  });
});
