import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import { issueTicket } from "../../gateway/src/live/ticket.ts";
import { api } from "../../../test/support/api.ts";
import { db } from "../../../test/support/database.ts";
import { learner } from "../../../test/support/people.ts";
import { servicesThatSaw } from "../../../test/support/worker-log.ts";
import { connect, settledLearner, ticketFor, type LiveClient } from "./live-support.ts";

/**
 * Who may open a learner's live socket: a ticket the gateway issued, once, while it is valid. Every refusal is
 * a 401 problem before the upgrade, and (except reuse, which only the learner's hub can know) is decided by the
 * gateway alone: the progress worker never sees the request.
 */

/** The stack's own ticket key (`npm start` keeps it beside its other local secrets), to mint expired tickets. */
const stackSecret = () => readFileSync(join(dirname(inject("logDir")), "secrets", "live-ticket-secret"), "utf8").trim();
const nowSeconds = () => Math.floor(Date.now() / 1000);
const open: LiveClient[] = [];
afterAll(async () => {
  for (const client of open) client.close();
  await db.end();
});

function correlated(tag: string): { id: string; headers: Record<string, string> } {
  const id = `live-${tag}-${crypto.randomUUID()}`;
  return { id, headers: { "x-correlation-id": id } };
}

async function expectRefusedAtGateway(path: string, detail: RegExp) {
  const { id, headers } = correlated("refused");
  const answer = await connect(path, headers);
  expect(answer.ok, "the upgrade was refused").toBe(false);
  if (answer.ok) return;
  expect(answer.refusal.status).toBe(401);
  expect(answer.refusal.contentType).toContain("application/problem+json");
  expect(answer.refusal.body).toMatchObject({ type: "/problems/unauthorized" });
  expect(answer.refusal.body.detail).toMatch(detail);
  expect(await servicesThatSaw(id)).toEqual(["gateway"]);
}

describe("POST /api/live/ticket", () => {
  it("gives a signed-in learner a short-lived ticket that no cache keeps", async () => {
    const ada = await learner("ticket-issue");
    const answer = await api<{ ticket: string; expiresAt: string; url: string }>("POST", "/api/live/ticket", {
      token: ada.token,
    });
    expect(answer.status).toBe(200);
    expect(answer.headers.get("cache-control")).toBe("no-store");
    const lifetime = Date.parse(answer.body.expiresAt) - Date.now();
    expect(lifetime).toBeGreaterThan(0);
    expect(lifetime).toBeLessThanOrEqual(60_000);
    expect(answer.body.url).toBe(`/api/live?ticket=${encodeURIComponent(answer.body.ticket)}`);
    expect(answer.body.ticket).not.toContain(ada.token);
  });

  it("refuses anonymous callers and bad tokens with 401, and other methods with 405", async () => {
    const anonymous = await api("POST", "/api/live/ticket");
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("content-type")).toContain("application/problem+json");
    expect((await api("POST", "/api/live/ticket", { token: "a.b.c" })).status).toBe(401);
    const get = await api("GET", "/api/live/ticket");
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST");
  });
});

describe("GET /api/live refused before the upgrade", () => {
  it("without a ticket", async () => {
    await expectRefusedAtGateway("/api/live", /ticket is needed/);
  });

  it("with an expired ticket the gateway itself signed", async () => {
    const ada = await learner("ticket-expired");
    const { ticket } = await issueTicket(stackSecret(), ada.userId, nowSeconds() - 31, 30);
    await expectRefusedAtGateway(`/api/live?ticket=${encodeURIComponent(ticket)}`, /expired/);
  });

  it("with a ticket signed by another key", async () => {
    const ada = await learner("ticket-forged");
    const { ticket } = await issueTicket("a".repeat(43), ada.userId, nowSeconds(), 30);
    await expectRefusedAtGateway(`/api/live?ticket=${encodeURIComponent(ticket)}`, /not a live ticket/);
  });

  it("with a genuine ticket whose learner was changed", async () => {
    const ada = await learner("ticket-owner");
    const eve = await learner("ticket-thief");
    const { ticket } = await ticketFor(eve);
    const [version, payload, mac] = ticket.split(".");
    const claims = JSON.parse(Buffer.from(payload ?? "", "base64url").toString()) as Record<string, unknown>;
    const tampered = Buffer.from(JSON.stringify({ ...claims, sub: ada.userId })).toString("base64url");
    await expectRefusedAtGateway(`/api/live?ticket=${version}.${tampered}.${mac}`, /not a live ticket/);
  });

  it("with an access token where the ticket goes, or beside it", async () => {
    const ada = await learner("ticket-token");
    await expectRefusedAtGateway(`/api/live?ticket=${ada.token}`, /not a live ticket/);
    await expectRefusedAtGateway(`/api/live?access_token=${ada.token}`, /ticket is needed/);
  });

  it("with a ticket used once already (the learner's hub spent it)", async () => {
    const ada = await learner("ticket-reuse");
    const { url } = await ticketFor(ada);
    const first = await connect(url);
    expect(first.ok).toBe(true);
    if (first.ok) open.push(first.client);
    const again = await connect(url);
    expect(again.ok).toBe(false);
    if (!again.ok) {
      expect(again.refusal.status).toBe(401);
      expect(again.refusal.body).toMatchObject({
        type: "/problems/unauthorized",
        detail: expect.stringMatching(/used/),
      });
    }
  });

  it("opens exactly one socket when one ticket is presented five times at once", async () => {
    const ada = await learner("ticket-race");
    const { url } = await ticketFor(ada);
    const answers = await Promise.all(Array.from({ length: 5 }, () => connect(url)));
    for (const answer of answers) if (answer.ok) open.push(answer.client);
    expect(answers.filter((answer) => answer.ok)).toHaveLength(1);
    expect(answers.flatMap((answer) => (answer.ok ? [] : [answer.refusal.status]))).toEqual([401, 401, 401, 401]);
  });
});

describe("what reaches the progress worker", () => {
  it("a request that is not an upgrade gets 400 and spends nothing: the ticket still opens a socket", async () => {
    const ada = await learner("ticket-no-upgrade");
    const { url } = await ticketFor(ada);
    const plain = await api("GET", url);
    expect(plain.status).toBe(400);
    const socket = await connect(url);
    expect(socket.ok).toBe(true);
    if (socket.ok) open.push(socket.client);
  });

  it("a bad ?after= or ?keepalive= is a 400 naming the field, and spends nothing", async () => {
    const ada = await learner("ticket-bad-params");
    const { url } = await ticketFor(ada);
    const refused = await connect(`${url}&after=-1&keepalive=1`);
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.refusal.status).toBe(400);
      expect(refused.refusal.body.errors?.map((error) => error.path).sort()).toEqual([
        "query.after",
        "query.keepalive",
      ]);
    }
    const accepted = await connect(url);
    expect(accepted.ok).toBe(true);
    if (accepted.ok) open.push(accepted.client);
  });

  it("the upgrade passes the gateway's middleware (CORS, cache policy, log) as a 101, and both workers log it", async () => {
    // Settled: the welcome is numbered already, so the ready frame's number is known.
    const ada = await settledLearner("ticket-101");
    const { url } = await ticketFor(ada);
    const { id, headers } = correlated("upgrade");
    const answer = await connect(url, { ...headers, origin: "https://app.example.test" });
    expect(answer.ok).toBe(true);
    if (!answer.ok) return;
    open.push(answer.client);
    const upgrade = answer.client.upgradeHeaders;
    expect(upgrade["x-correlation-id"]).toBe(id);
    expect(upgrade["access-control-allow-origin"]).toBe("https://app.example.test");
    expect(upgrade["vary"]).toMatch(/Origin/);
    expect(upgrade["cache-control"]).toBe("no-cache");
    expect(await answer.client.next()).toEqual({ kind: "ready", seq: ada.base });
    expect(await servicesThatSaw(id)).toEqual(["gateway", "progress"]);
  });
});
