import { describe, expect, it } from "vitest";
import { GOOD_PASSWORD, api, registerAndLogin, uniqueEmail } from "../../../test/support/api.ts";

/** Each test plays its own clients: the gateway takes the client address from cf-connecting-ip. */
let clientCounter = 0;
function newClient(): Record<string, string> {
  clientCounter += 1;
  return { "cf-connecting-ip": `198.51.100.${clientCounter}`, "x-correlation-id": `throttle-${clientCounter}` };
}

const login = (email: string, password: string, client: Record<string, string>) =>
  api("POST", "/api/auth/login", { body: { email, password }, headers: client });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("failed-login throttling", () => {
  it("lets three failures through, then makes each client wait longer and longer (Retry-After grows)", async () => {
    const { email } = await registerAndLogin("throttle");
    const attacker = newClient();
    for (let attempt = 0; attempt < 3; attempt++) {
      expect((await login(email, "wrong password 1", attacker)).status).toBe(401);
    }
    const blocked = await login(email, "wrong password 1", attacker);
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get("content-type")).toBe("application/problem+json");
    const firstWait = Number(blocked.headers.get("retry-after"));
    expect(firstWait).toBeGreaterThanOrEqual(1);

    await sleep(firstWait * 1000 + 100);
    expect((await login(email, "wrong password 2", attacker)).status).toBe(401);
    const longer = await login(email, "wrong password 2", attacker);
    expect(longer.status).toBe(429);
    expect(Number(longer.headers.get("retry-after"))).toBeGreaterThan(firstWait);

    // Even the right password waits while the pair is throttled: the delay is not an oracle.
    expect((await login(email, GOOD_PASSWORD, attacker)).status).toBe(429);
  });

  it("locks the pair after the configured failures, refuses even the right password, and lets it expire", async () => {
    // The test stack locks at the 6th failure for 3 s (test/setup/platform.ts); production: 10th, 15 minutes.
    const { email } = await registerAndLogin("lock-expiry");
    const client = newClient();
    let failures = 0;
    while (failures < 6) {
      const answer = await login(email, "not the password", client);
      if (answer.status === 429) {
        await sleep(Number(answer.headers.get("retry-after")) * 1000 + 100);
        continue;
      }
      expect(answer.status).toBe(401);
      failures += 1;
    }
    const locked = await login(email, GOOD_PASSWORD, client);
    expect(locked.status).toBe(429);
    const lockSeconds = Number(locked.headers.get("retry-after"));
    expect(lockSeconds).toBeGreaterThanOrEqual(2);
    expect(lockSeconds).toBeLessThanOrEqual(3);

    await sleep(lockSeconds * 1000 + 200);
    expect((await login(email, GOOD_PASSWORD, client)).status).toBe(200);
  });

  it("counts every address of one IPv6 /64 as one client, as the gateway's rate limits do", async () => {
    const { email } = await registerAndLogin("throttle-ipv6");
    const [a = 0, b = 0] = crypto.getRandomValues(new Uint16Array(2));
    const prefix = `2001:db8:${a.toString(16)}:${b.toString(16)}`;
    // A fresh address of the prefix for every attempt: still one (account, client) pair.
    for (let attempt = 1; attempt <= 3; attempt++) {
      const client = { "cf-connecting-ip": `${prefix}:${attempt}::${attempt}` };
      expect((await login(email, "wrong password", client)).status).toBe(401);
    }
    expect((await login(email, "wrong password", { "cf-connecting-ip": `${prefix}:ffff::9` })).status).toBe(429);
  });

  it("an attacker cannot lock the victim out: the victim's own client still signs in", async () => {
    const { email } = await registerAndLogin("lockout-abuse");
    const attacker = newClient();
    for (let attempt = 0; attempt < 4; attempt++) await login(email, "guessing", attacker);
    expect((await login(email, "guessing", attacker)).status).toBe(429);
    expect((await login(email, GOOD_PASSWORD, newClient())).status).toBe(200);
  });

  it("a successful sign-in clears the count for that client", async () => {
    const { email } = await registerAndLogin("reset");
    const client = newClient();
    for (let attempt = 0; attempt < 2; attempt++) await login(email, "typo typo", client);
    expect((await login(email, GOOD_PASSWORD, client)).status).toBe(200);
    for (let attempt = 0; attempt < 3; attempt++) {
      expect((await login(email, "typo typo", client)).status).toBe(401);
    }
  });
});

describe("no account enumeration", () => {
  it("answers an unknown email exactly like a wrong password (status, type, detail, headers)", async () => {
    const { email } = await registerAndLogin("enumeration");
    const wrongPassword = await login(email, "not the password", newClient());
    const unknownEmail = await login(uniqueEmail("nobody"), "not the password", newClient());
    expect(unknownEmail.status).toBe(wrongPassword.status);
    const strip = (body: Record<string, unknown>) => ({ ...body, correlationId: undefined });
    expect(strip(unknownEmail.body)).toEqual(strip(wrongPassword.body));
    expect(unknownEmail.headers.get("content-type")).toBe(wrongPassword.headers.get("content-type"));
  });

  it("throttles unknown emails the same way as real ones", async () => {
    const client = newClient();
    const nobody = uniqueEmail("ghost");
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 4; attempt++) statuses.push((await login(nobody, "whatever1", client)).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
  });
});
