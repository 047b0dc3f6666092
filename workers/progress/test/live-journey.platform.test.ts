import { afterAll, describe, expect, it } from "vitest";
import type { LiveServerFrame } from "@platform/contracts";
import { DEMO_COURSES } from "@platform/dev-stack";
import { GOOD_PASSWORD, api, registerAndLogin, type TokenPair } from "../../../test/support/api.ts";
import { db } from "../../../test/support/database.ts";
import type { Person } from "../../../test/support/people.ts";
import { openFor, welcomeSettled, type LiveClient } from "./live-support.ts";
import { the } from "./support/the.ts";

/**
 * The journey with live devices: one learner signed in twice keeps a socket open on each
 * device while studying over HTTP through the gateway; both sockets see every change (progress,
 * each lesson's completion, the course's completion), in order, from the progress worker's own
 * pushes; another learner's open socket sees nothing at all. Each learner's welcome notice is on their hub
 * before their sockets open (live-support.ts), so it is not among what the sockets receive.
 */

const freeCourse = DEMO_COURSES.find((course) => course.price === null);
if (!freeCourse) throw new Error("the demo data has no free course");

const open: LiveClient[] = [];
afterAll(async () => {
  for (const client of open) client.close();
  await db.end();
});

async function device(person: Person): Promise<LiveClient> {
  const client = await openFor(person);
  open.push(client);
  expect(await client.next()).toMatchObject({ kind: "ready" });
  return client;
}

async function signedInTwice(tag: string): Promise<[Person, Person]> {
  const session = await registerAndLogin(tag);
  const again = await api<TokenPair>("POST", "/api/auth/login", {
    body: { email: session.email, password: GOOD_PASSWORD },
  });
  expect(again.status).toBe(200);
  return [
    { userId: session.userId, token: session.tokens.accessToken },
    { userId: session.userId, token: again.body.accessToken },
  ];
}

const typesOf = (frames: readonly LiveServerFrame[]) =>
  frames.flatMap((frame) => (frame.kind === "message" ? [String(frame.message.type)] : []));

/**
 * The frames a socket received until it has seen every lesson's completion and the course's. Each
 * request pushes after its answer, so two requests' messages may in principle cross; the hub's
 * numbering, not arrival, is the order a client trusts.
 */
async function untilAllCompleted(client: LiveClient, lessons: number): Promise<LiveServerFrame[]> {
  const frames: LiveServerFrame[] = [];
  for (;;) {
    frames.push(await client.next());
    const types = typesOf(frames);
    if (types.includes("course-completed") && types.filter((type) => type === "lesson-completed").length === lessons)
      return frames;
    if (frames.length > 50) throw new Error(`not every completion among the first 50 frames: ${types.join(", ")}`);
  }
}

describe("studying with two devices open", () => {
  it("both see every lesson's completion and the course's, in order; another learner's socket sees nothing", async () => {
    const [laptop, phone] = await signedInTwice("live-journey");
    const other = await registerAndLogin("live-journey-other");
    const stranger: Person = { userId: other.userId, token: other.tokens.accessToken };
    await welcomeSettled(laptop.userId);
    const strangerBase = await welcomeSettled(stranger.userId);
    const laptopSocket = await device(laptop);
    const phoneSocket = await device(phone);
    const strangerSocket = await device(stranger);

    expect((await api("POST", `/api/courses/${freeCourse.id}/enroll`, { token: laptop.token })).status).toBe(201);
    for (const [index, lesson] of freeCourse.lessons.entries()) {
      // The two devices take turns, as a learner moving between them would.
      const from = index % 2 === 0 ? laptop : phone;
      const recorded = await api("POST", `/api/progress/lessons/${lesson.id}`, {
        token: from.token,
        body: { event: "completed" },
      });
      expect(recorded.status).toBe(200);
    }

    const lessonCount = freeCourse.lessons.length;
    for (const socket of [laptopSocket, phoneSocket]) {
      const frames = await untilAllCompleted(socket, lessonCount);
      expect(typesOf(frames).filter((type) => type === "course-completed")).toHaveLength(1);
      // Numbered by the learner's hub, one after another, with nothing missing.
      const seqs = frames.map((frame) => frame.seq);
      expect(seqs).toEqual(seqs.map((_, i) => the(seqs[0]) + i));
      const completions = frames.flatMap((frame) =>
        frame.kind === "message" && frame.message.type === "lesson-completed" ? [frame.message.lessonId] : [],
      );
      expect([...completions].sort()).toEqual(freeCourse.lessons.map((lesson) => lesson.id).sort());
    }

    // The stranger's socket is open and got nothing of the other learner's: the first frame it receives is the
    // first message of its own learner, numbered by its own hub right after the stranger's welcome.
    expect((await api("POST", `/api/courses/${freeCourse.id}/enroll`, { token: stranger.token })).status).toBe(201);
    const own = await api("POST", `/api/progress/lessons/${the(freeCourse.lessons[0]).id}`, {
      token: stranger.token,
      body: { event: "viewed" },
    });
    expect(own.status).toBe(200);
    const first = await strangerSocket.next();
    expect(first).toMatchObject({ kind: "message", seq: strangerBase + 1 });
    expect(first.kind === "message" && first.message).toMatchObject({ lessonId: the(freeCourse.lessons[0]).id });
  });
});
