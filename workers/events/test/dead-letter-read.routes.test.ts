import pg from "pg";
import { v7 as uuidv7 } from "uuid";
import { afterAll, describe, expect, inject, it } from "vitest";
import type { ProblemDetails } from "@platform/http-kit";
import { inProcess, principal, recordingQueue, type Principal } from "../../../test/support/in-process.ts";
import { expectPermissionMatrix, type MatrixRow } from "../../../test/support/permission-matrix.ts";
import { app } from "../src/app.ts";

/**
 * `GET /api/events/dead-letters/{id}`: one dead letter with its body, for an admin to read before
 * replaying it (the admin console's inspect page), in-process against the real events schema.
 * Dead letters made by a real poison message are delivery.platform.test.ts.
 */
interface DeadLetterBody {
  readonly id: string;
  readonly eventId: string | null;
  readonly eventType: string | null;
  readonly body: unknown;
  readonly attempts: number;
  readonly reason: string | null;
  readonly replayedAt: string | null;
}

const db = new pg.Pool({ connectionString: inject("routesDatabaseUrl") });
afterAll(() => db.end());
const queue = recordingQueue();
const events = inProcess(app, { EVENTS_QUEUE: queue });
const admin = principal("admin");

/** A dead letter as the dead-letter consumer records one. */
async function deadLetter(body: unknown, reason: string | null): Promise<string> {
  const id = uuidv7();
  const { id: eventId, type } = body as { id?: string; type?: string };
  await db.query(
    `insert into events.dead_letters (id, message_id, event_id, event_type, body, attempts, reason)
     values ($1, $2, $3, $4, $5, 5, $6)`,
    [id, `message-${id}`, eventId ?? null, type ?? null, JSON.stringify(body), reason],
  );
  return id;
}

describe("GET /api/events/dead-letters/{id}", () => {
  it("answers the dead letter with the body the Queue held, exactly, and why it died", async () => {
    const poison = {
      id: uuidv7(),
      type: "COURSE_PUBLISHED",
      source: "courses",
      version: 1,
      data: { nested: [1, "é"] },
    };
    const id = await deadLetter(poison, "not a valid platform event: data.courseId is required");
    const read = await events.request<DeadLetterBody>("GET", `/api/events/dead-letters/${id}`, { as: admin });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      id,
      eventId: poison.id,
      eventType: "COURSE_PUBLISHED",
      body: poison,
      attempts: 5,
      reason: "not a valid platform event: data.courseId is required",
      replayedAt: null,
    });
  });

  it("shows a body that was not an event at all, and its replay mark once replayed", async () => {
    const id = await deadLetter("just a string", "not a platform event envelope");
    const read = await events.request<DeadLetterBody>("GET", `/api/events/dead-letters/${id}`, { as: admin });
    expect(read.body).toMatchObject({ body: "just a string", eventId: null, eventType: null });
    expect((await events.request("POST", `/api/events/dead-letters/${id}/replay`, { as: admin })).status).toBe(200);
    expect(queue.sent).toContain("just a string");
    const after = await events.request<DeadLetterBody>("GET", `/api/events/dead-letters/${id}`, { as: admin });
    expect(after.body.replayedAt).toEqual(expect.any(String));
  });

  it("answers 404 for an unknown id and 400 naming param.id for one that is not a UUID", async () => {
    const unknown = await events.request<ProblemDetails>("GET", `/api/events/dead-letters/${uuidv7()}`, { as: admin });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get("content-type")).toContain("application/problem+json");
    expect(unknown.body.detail).toBe("No such dead letter.");
    const invalid = await events.request<ProblemDetails>("GET", "/api/events/dead-letters/nope", { as: admin });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors?.map((error) => error.path)).toContain("param.id");
  });

  it("is for admins only, before the id is read", async () => {
    const id = await deadLetter({ id: uuidv7(), type: "USER_CREATED" }, null);
    const callers = ["anonymous", "learner", "instructor", "admin"] as const;
    type Caller = (typeof callers)[number];
    const who: Record<Caller, Principal | undefined> = {
      anonymous: undefined,
      learner: principal("learner"),
      instructor: principal("instructor"),
      admin,
    };
    const rows: MatrixRow<Caller>[] = [
      {
        request: { method: "GET", path: `/api/events/dead-letters/${id}` },
        expect: { anonymous: 401, learner: 403, instructor: 403, admin: 200 },
      },
      {
        request: { method: "GET", path: "/api/events/dead-letters/nope" },
        expect: { anonymous: 401, learner: 403, instructor: 403, admin: 400 },
      },
    ];
    await expectPermissionMatrix({
      callers,
      rows,
      send: (request, caller) => events.request(request.method, request.path, { as: who[caller] }),
    });
  });
});
