import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { GOOD_PASSWORD, api, gatewayUrl, registerAndLogin } from "../support/api.ts";
import { publishedCourse, type CourseBody } from "../support/courses.ts";
import { db } from "../support/database.ts";
import { admin, learner, type Person } from "../support/people.ts";
import { ASYNC_EFFECTS } from "../support/polling.ts";

/**
 * The integrators' examples (docs/examples/, issue 18) run as a reader would run them: each script a
 * child process of its own (`node docs/examples/….mjs`) against the test stack's gateway, its output
 * read and the platform's state checked through the API. The key one script makes is the key the
 * others use; the webhook receivers get real deliveries after a sign-up and refuse forged ones; the
 * feed reader resumes from the cursor file its previous run saved.
 */
const EXAMPLES = fileURLToPath(new URL("../../docs/examples/", import.meta.url));

interface Finished {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The environment a reader would set: the platform's address and the script's own settings, nothing else. */
const envFor = (env: Record<string, string>) => ({ PATH: process.env.PATH ?? "", PLATFORM_URL: gatewayUrl, ...env });

/** Runs a script to its end (bounded by the test's timeout). */
function run(script: string, env: Record<string, string>, args: string[] = []): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(EXAMPLES, script), ...args], { env: envFor(env) });
    running.add(child);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      running.delete(child);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A script that keeps running (a server, a follower), its output so far readable at any time. */
interface Started {
  readonly child: ChildProcess;
  output(): string;
}

function start(script: string, env: Record<string, string>, args: string[] = []): Started {
  const child = spawn(process.execPath, [join(EXAMPLES, script), ...args], { env: envFor(env) });
  running.add(child);
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.on("close", () => running.delete(child));
  return { child, output: () => output };
}

/** Asks a child to stop (SIGTERM, as Ctrl-C would), and kills it if it has not within 5 s. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("close", resolve));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}

const running = new Set<ChildProcess>();
const endpointsMade: string[] = [];
let owner: Person;
const keyName = `examples ${randomUUID()}`;
const keyScopes = ["courses:read", "enrollments:write", "events:read", "webhooks:manage"];
let keyRun: Finished;
/** The key create-api-key.mjs printed, with every scope the other examples need. */
let apiKey: string;
let scratch: string;

const withKey = <T = Record<string, unknown>>(method: string, path: string, body?: unknown) =>
  api<T>(method, path, { headers: { authorization: `Bearer ${apiKey}` }, ...(body !== undefined && { body }) });

/** The one match of `pattern` in `text`, or the test fails saying what was printed. */
function captured(text: string, pattern: RegExp): string {
  const match = pattern.exec(text);
  expect(match?.[1], `${pattern} in:\n${text}`).toBeDefined();
  return match?.[1] ?? "";
}

beforeAll(async () => {
  owner = await admin("examples-owner");
  scratch = await mkdtemp(join(tmpdir(), "integration-examples-"));
  // Made by the first example, in a hook so every other test (run alone too) has the key.
  keyRun = await run("create-api-key.mjs", { ADMIN_ACCESS_TOKEN: owner.token, API_KEY_NAME: keyName }, keyScopes);
  apiKey = /^PLATFORM_API_KEY=(elk_[0-9a-f]{32}_[A-Za-z0-9_-]{43})$/m.exec(keyRun.stdout)?.[1] ?? "";
  if (!apiKey) throw new Error(`create-api-key.mjs printed no key:\n${keyRun.stdout}${keyRun.stderr}`);
});

afterAll(async () => {
  await Promise.all([...running].map(stop));
  // The receivers unsubscribe themselves when stopped; this is in case one could not.
  for (const id of endpointsMade) await api("DELETE", `/api/events/webhooks/${id}`, { token: owner.token });
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe("create-api-key.mjs", () => {
  it("makes a key with the chosen scopes from an admin's token, and the key works", async () => {
    expect(keyRun.code, keyRun.stderr).toBe(0);
    expect(keyRun.stdout).toContain(`Scopes: ${keyScopes.join(", ")}`);

    const listed = await api<{ items: { name: string; scopes: string[]; prefix: string }[] }>(
      "GET",
      "/api/auth/api-keys",
      { token: owner.token },
    );
    const mine = listed.body.items.find((item) => item.name === keyName);
    expect(mine?.scopes).toEqual(keyScopes);
    expect(apiKey.startsWith(`${mine?.prefix}_`)).toBe(true);
    expect((await withKey("GET", "/api/courses?limit=1")).status).toBe(200);
    // Only the chosen scopes: writing courses is not one of them.
    const refused = await withKey("POST", "/api/courses", { title: "No", slug: `no-${randomUUID()}` });
    expect(refused.status).toBe(403);
  });

  it("signs in with an admin's email and password when given no token", async () => {
    const person = await registerAndLogin("examples-key-admin");
    await db.query("update auth.accounts set roles = '{admin}'::auth.role[] where id = $1", [person.userId]);
    const made = await run(
      "create-api-key.mjs",
      { ADMIN_EMAIL: person.email, ADMIN_PASSWORD: GOOD_PASSWORD, API_KEY_SCOPES: "events:read" },
      [],
    );
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).toContain(`Signed in as ${person.email}.\n`);
    expect(made.stdout).toContain("Scopes: events:read\n");
    const key = captured(made.stdout, /^PLATFORM_API_KEY=(elk_\S+)$/m);
    const feed = await api("GET", "/api/events?limit=1", { headers: { authorization: `Bearer ${key}` } });
    expect(feed.status).toBe(200);
  });

  it("fails saying why without an admin's credentials, and with a learner's token", async () => {
    const none = await run("create-api-key.mjs", {});
    expect(none.code).toBe(1);
    expect(none.stderr).toContain("Set ADMIN_ACCESS_TOKEN");
    const person = await learner("examples-learner");
    const refused = await run("create-api-key.mjs", { ADMIN_ACCESS_TOKEN: person.token });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("answered 403");
  });
});

describe("list-courses.mjs", () => {
  it("pages through the catalog with the key, lists what the API lists, and exchanges the key for a token", async () => {
    // A word only these courses have, so the listing is of a known size while other files add courses.
    const word = `examplesword${[...randomBytes(8)].map((byte) => String.fromCharCode(97 + (byte % 26))).join("")}`;
    const made: CourseBody[] = [];
    for (let index = 0; index < 3; index++)
      made.push(await publishedCourse(owner, { title: `${word} course ${index}` }));
    const apiIds = async () =>
      (await api<{ items: CourseBody[] }>("GET", `/api/courses?q=${word}&limit=50`)).body.items.map((c) => c.id);
    await expect.poll(async () => (await apiIds()).length, { ...ASYNC_EFFECTS, message: "3 in the catalog" }).toBe(3);

    const listed = await run("list-courses.mjs", {
      PLATFORM_API_KEY: apiKey,
      COURSES_QUERY: word,
      COURSES_PAGE_SIZE: "2",
    });
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toContain("page 1: 2 course(s)\n");
    expect(listed.stdout).toContain("page 2: 1 course(s)\n");
    const printed = [...listed.stdout.matchAll(/^course (\S+) /gm)].map((match) => match[1]);
    expect(printed).toEqual(await apiIds());
    expect(printed.sort()).toEqual(made.map((course) => course.id).sort());
    expect(listed.stdout).toContain(`3 course(s) in all matching "${word}".`);
    expect(listed.stdout).toMatch(/Exchanged the key for an access token: scope "courses:read", expires in \d+ s\./);
    expect(listed.stdout).toContain("With the token, the first page has 2 course(s), as with the key.");
  });
});

describe("enroll-users.mjs", () => {
  it("grants access from emails and user ids, prints the per-row report, and is idempotent", async () => {
    const course = await publishedCourse(owner, { title: "Enrolled by an example" });
    const [byEmail, byId] = [await registerAndLogin("examples-enrol-a"), await registerAndLogin("examples-enrol-b")];
    const access = async (token: string) =>
      (await api<{ access: string }>("GET", `/api/courses/${course.id}/lessons`, { token })).body.access;
    expect(await access(byEmail.tokens.accessToken)).toBe("preview");
    const nobody = `nobody-${randomUUID()}@example.com`;

    const first = await run(
      "enroll-users.mjs",
      { PLATFORM_API_KEY: apiKey, COURSE_ID: course.id, ENROLL_REFERENCE: "examples order 1" },
      [byEmail.email, byId.userId, nobody],
    );
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(`line 1 ${byEmail.email}: granted (Access granted.) user ${byEmail.userId}\n`);
    expect(first.stdout).toContain(`line 2 ${byId.userId}: granted (Access granted.) user ${byId.userId}\n`);
    expect(first.stdout).toMatch(new RegExp(`^line 3 ${nobody}: failed, unknown_account \\(`, "m"));
    expect(first.stdout).toContain("summary: 3 row(s), 2 granted, 0 already enrolled, 1 failed\n");
    expect(await access(byEmail.tokens.accessToken)).toBe("full");
    expect(await access(byId.tokens.accessToken)).toBe("full");
    const { rows } = await db.query<{ reference: string }>(
      "select reference from courses.enrollments where course_id = $1 and user_id = $2",
      [course.id, byEmail.userId],
    );
    expect(rows.map((row) => row.reference)).toEqual(["examples order 1"]);

    // The same person again, from a file: nothing new.
    const file = join(scratch, "rows.json");
    await writeFile(file, JSON.stringify({ rows: [{ email: byEmail.email }] }));
    const again = await run("enroll-users.mjs", { PLATFORM_API_KEY: apiKey, COURSE_ID: course.id }, ["--file", file]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(new RegExp(`^line 1 ${byEmail.email}: already_enrolled `, "m"));
    expect(again.stdout).toContain("summary: 1 row(s), 0 granted, 1 already enrolled, 0 failed\n");
  });

  it("reports a refused import and exits 1", async () => {
    const refused = await run("enroll-users.mjs", { PLATFORM_API_KEY: apiKey, COURSE_ID: randomUUID() }, [
      "someone@example.com",
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("The import was refused (404)");
  });
});

describe("receive-webhooks.mjs", () => {
  interface Receiver {
    readonly process: Started;
    readonly url: string;
    readonly endpointId: string;
    readonly secret: string;
  }

  /** Starts a receiver that subscribes itself to USER_CREATED, once it has said where it listens and its secret. */
  async function subscribedReceiver(verifier: string): Promise<Receiver> {
    const receiver = start(
      "receive-webhooks.mjs",
      { PLATFORM_API_KEY: apiKey, WEBHOOK_PORT: "0", WEBHOOK_EVENT_TYPES: "USER_CREATED", WEBHOOK_VERIFIER: verifier },
      ["--subscribe"],
    );
    // vi.waitFor, not expect.poll: this runs in beforeAll.
    await vi.waitFor(() => {
      if (!/^secret: whsec_/m.test(receiver.output())) throw new Error(`not subscribed yet:\n${receiver.output()}`);
    }, ASYNC_EFFECTS);
    const endpointId = captured(receiver.output(), /^subscribed endpoint (\S+) to USER_CREATED$/m);
    endpointsMade.push(endpointId);
    return {
      process: receiver,
      url: captured(receiver.output(), new RegExp(`^listening on (\\S+) \\(verifying with ${verifier}\\)$`, "m")),
      endpointId,
      secret: captured(receiver.output(), /^secret: (whsec_\S+)$/m),
    };
  }

  const post = (url: string, body: string, headers: Record<string, string>) =>
    fetch(url, { method: "POST", body, headers: { "content-type": "application/json", ...headers } });

  /** A delivery signed the Standard Webhooks way, as if by the platform, at the given time. */
  const signed = (secret: string, id: string, body: string, at = new Date()) => ({
    "webhook-id": id,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": new Webhook(secret).sign(id, at, body),
  });

  let receivers: Receiver[];

  beforeAll(async () => {
    receivers = [await subscribedReceiver("node-crypto"), await subscribedReceiver("standardwebhooks")];
  });

  it("gets and verifies a real delivery after a sign-up, and the platform records it delivered", async () => {
    const person = await registerAndLogin("examples-webhook");
    for (const receiver of receivers) {
      const verified = new RegExp(`^verified webhook-id=(\\S+) type=USER_CREATED .*"userId":"${person.userId}"`, "m");
      await expect
        .poll(receiver.process.output, { ...ASYNC_EFFECTS, message: "the sign-up's USER_CREATED delivered" })
        .toMatch(verified);
      const deliveryId = captured(receiver.process.output(), verified);
      // The receiver's 204 is what the platform recorded: the webhook-id is the delivery's id.
      await expect
        .poll(
          async () =>
            (
              await withKey<{ status: string; lastStatus: number }>(
                "GET",
                `/api/events/webhooks/${receiver.endpointId}/deliveries/${deliveryId}`,
              )
            ).body,
          { ...ASYNC_EFFECTS, message: "the delivery recorded as succeeded" },
        )
        .toMatchObject({ status: "succeeded", lastStatus: 204 });

      // The platform sends it again with the same webhook-id: handled once, answered 204 again.
      const redelivered = await withKey(
        "POST",
        `/api/events/webhooks/${receiver.endpointId}/deliveries/${deliveryId}/redeliver`,
      );
      expect(redelivered.status).toBe(202);
      await expect
        .poll(receiver.process.output, { ...ASYNC_EFFECTS, message: "the redelivery seen as a duplicate" })
        .toContain(`duplicate webhook-id=${deliveryId}: handled before, answered 204 again`);
      expect(receiver.process.output().match(new RegExp(`^verified webhook-id=${deliveryId} `, "gm"))).toHaveLength(1);
      await expect
        .poll(
          async () =>
            (
              await withKey<{ attemptLog: { trigger: string; status: number }[] }>(
                "GET",
                `/api/events/webhooks/${receiver.endpointId}/deliveries/${deliveryId}`,
              )
            ).body.attemptLog,
          { ...ASYNC_EFFECTS, message: "the manual attempt answered 204" },
        )
        .toContainEqual(expect.objectContaining({ trigger: "manual", status: 204 }));
    }
  });

  it("answers 400 to a forged signature, a stale timestamp and missing headers; 204 to a genuine one, once", async () => {
    const body = JSON.stringify({ type: "USER_CREATED", data: { userId: randomUUID() }, eventId: randomUUID() });
    for (const receiver of receivers) {
      const forgedId = `msg_forged_${randomUUID()}`;
      const forged = await post(receiver.url, body, {
        "webhook-id": forgedId,
        "webhook-timestamp": String(Math.floor(Date.now() / 1000)),
        "webhook-signature": `v1,${randomBytes(32).toString("base64")}`,
      });
      expect(forged.status).toBe(400);
      expect(receiver.process.output()).toContain(`rejected webhook-id=${forgedId}: `);

      // Signed with another endpoint's secret: as forged.
      const other = receivers.find((candidate) => candidate !== receiver)?.secret ?? "";
      expect((await post(receiver.url, body, signed(other, `msg_${randomUUID()}`, body))).status).toBe(400);
      // Signed right, but ten minutes ago: a replay, refused.
      const stale = signed(receiver.secret, `msg_${randomUUID()}`, body, new Date(Date.now() - 10 * 60_000));
      expect((await post(receiver.url, body, stale)).status).toBe(400);
      // The body changed after signing.
      const tampered = signed(receiver.secret, `msg_${randomUUID()}`, body);
      expect((await post(receiver.url, body.replace("USER_CREATED", "USER_DELETED"), tampered)).status).toBe(400);
      expect((await post(receiver.url, body, {})).status).toBe(400);

      const genuineId = `msg_${randomUUID()}`;
      const genuine = signed(receiver.secret, genuineId, body);
      expect((await post(receiver.url, body, genuine)).status).toBe(204);
      expect((await post(receiver.url, body, genuine)).status).toBe(204);
      const output = receiver.process.output();
      expect(output.match(new RegExp(`^verified webhook-id=${genuineId} `, "gm"))).toHaveLength(1);
      expect(output).toContain(`duplicate webhook-id=${genuineId}: handled before`);
    }
  });

  it("unsubscribes its endpoint when stopped", async () => {
    for (const receiver of receivers) {
      await stop(receiver.process.child);
      expect(receiver.process.output()).toContain(`unsubscribed endpoint ${receiver.endpointId} (204)`);
      expect((await withKey("GET", `/api/events/webhooks/${receiver.endpointId}`)).status).toBe(404);
    }
  });
});

describe("read-event-feed.mjs", () => {
  interface FeedItem {
    readonly cursor: string;
    readonly id: string;
    readonly data: { readonly userId?: string };
  }

  /** The USER_CREATED of this account in the feed after `after`, once the router has recorded it. */
  async function userCreated(after: string, userId: string): Promise<FeedItem> {
    let found: FeedItem | undefined;
    await expect
      .poll(
        async () => {
          const page = await withKey<{ items: FeedItem[] }>(
            "GET",
            `/api/events?after=${after}&types=USER_CREATED&limit=500`,
          );
          found = page.body.items.find((item) => item.data.userId === userId);
          return found;
        },
        { ...ASYNC_EFFECTS, message: `USER_CREATED of ${userId} in the feed` },
      )
      .toBeDefined();
    return found as FeedItem;
  }

  const printedIds = (output: string) =>
    [...output.matchAll(/^event cursor=\S+ type=USER_CREATED id=(\S+) /gm)].map((m) => m[1]);

  it("pages from the saved cursor, saves where it stopped, resumes there, and follows the live stream", async () => {
    const cursorFile = join(scratch, "event-feed.cursor");
    // Where an integration that started today would stand: the feed's end before this test's events.
    const { rows } = await db.query<{ seq: string }>("select coalesce(max(seq), 0)::text as seq from events.feed");
    const feedEnd = rows[0]?.seq ?? "0";
    await writeFile(cursorFile, `${feedEnd}\n`);
    const env = {
      PLATFORM_API_KEY: apiKey,
      FEED_CURSOR_FILE: cursorFile,
      FEED_TYPES: "USER_CREATED",
      FEED_PAGE_SIZE: "2",
    };
    const savedCursor = async () => (await readFile(cursorFile, "utf8")).trim();

    const first = await registerAndLogin("examples-feed-1");
    const firstEvent = await userCreated(feedEnd, first.userId);
    const run1 = await run("read-event-feed.mjs", env);
    expect(run1.code, run1.stderr).toBe(0);
    expect(run1.stdout).toContain(`reading the feed after cursor ${feedEnd} (types USER_CREATED)\n`);
    expect(printedIds(run1.stdout)).toContain(firstEvent.id);
    const cursor1 = await savedCursor();
    expect(run1.stdout).toContain(`cursor ${cursor1} saved to ${cursorFile}\n`);
    expect(Number(cursor1)).toBeGreaterThanOrEqual(Number(firstEvent.cursor));

    const second = await registerAndLogin("examples-feed-2");
    const secondEvent = await userCreated(cursor1, second.userId);
    const run2 = await run("read-event-feed.mjs", env);
    expect(run2.code, run2.stderr).toBe(0);
    expect(run2.stdout).toContain(`reading the feed after cursor ${cursor1} (types USER_CREATED)\n`);
    const resumed = printedIds(run2.stdout);
    expect(resumed).toContain(secondEvent.id);
    expect(resumed, "nothing from before the saved cursor again").not.toContain(firstEvent.id);
    // Exactly what the feed holds after the saved cursor, in its order (later sign-ups may follow).
    const feed = await withKey<{ items: FeedItem[] }>(
      "GET",
      `/api/events?after=${cursor1}&types=USER_CREATED&limit=500`,
    );
    expect(feed.body.items.slice(0, resumed.length).map((item) => item.id)).toEqual(resumed);
    const cursor2 = await savedCursor();

    const follower = start("read-event-feed.mjs", env, ["--follow"]);
    await expect
      .poll(follower.output, { ...ASYNC_EFFECTS, message: "the follower on the stream" })
      .toMatch(/^following the live stream after cursor \S+ \(Last-Event-ID\)$/m);
    const third = await registerAndLogin("examples-feed-3");
    const thirdEvent = await userCreated(cursor2, third.userId);
    await expect
      .poll(() => printedIds(follower.output()), { ...ASYNC_EFFECTS, message: "the sign-up streamed" })
      .toContain(thirdEvent.id);
    expect(printedIds(follower.output())).not.toContain(secondEvent.id);
    // Handled, then saved: the cursor file reaches the streamed event (cursors are the feed's sequence numbers).
    await expect
      .poll(async () => Number(await savedCursor()), { ...ASYNC_EFFECTS, message: "the streamed event's cursor saved" })
      .toBeGreaterThanOrEqual(Number(thirdEvent.cursor));
    await stop(follower.child);

    const run3 = await run("read-event-feed.mjs", env);
    expect(run3.code, run3.stderr).toBe(0);
    expect(printedIds(run3.stdout), "the streamed event is not read again").not.toContain(thirdEvent.id);
  });

  it("stops with the reason when the key may not read the feed", async () => {
    const refused = await run("read-event-feed.mjs", {
      ADMIN_ACCESS_TOKEN: (await learner("examples-feed-learner")).token,
      FEED_CURSOR_FILE: join(scratch, "refused.cursor"),
    });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("GET /api/events answered 403");
  });
});
