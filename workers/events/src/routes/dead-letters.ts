import { OpenAPIHono, z } from "@hono/zod-openapi";
import { ProblemError } from "@platform/http-kit";
import { anyRole, defineRoute, json, problem } from "@platform/service-kit";
import type { DeadLetter } from "../dead-letters.ts";
import { findDeadLetter, listDeadLetters, replayDeadLetter } from "../dead-letters.ts";
import type { EventsEnv } from "../env.ts";

const deadLetterSchema = z.object({
  id: z.uuid(),
  messageId: z.string(),
  eventId: z.uuid().nullable(),
  eventType: z.string().nullable(),
  body: z.unknown(),
  attempts: z.int(),
  /** Why it could not be delivered: a subscriber's last error (e.g. a template variable missing), when known. */
  reason: z.string().nullable(),
  receivedAt: z.iso.datetime({ offset: true }),
  replayedAt: z.iso.datetime({ offset: true }).nullable(),
});

const present = (letter: DeadLetter): z.infer<typeof deadLetterSchema> => ({
  ...letter,
  receivedAt: letter.receivedAt.toISOString(),
  replayedAt: letter.replayedAt?.toISOString() ?? null,
});

const list = defineRoute(anyRole(["admin"], "Only an admin can read dead letters."), {
  method: "get",
  operationId: "listDeadLetters",
  path: "/api/events/dead-letters",
  summary: "Messages the Queue gave up on, newest first (admin)",
  tags: ["events"],
  request: {
    query: z.object({ cursor: z.uuid().optional(), limit: z.coerce.number().int().min(1).max(100).default(20) }),
  },
  responses: {
    200: {
      description: "A page of dead letters",
      content: json(z.object({ items: z.array(deadLetterSchema), nextCursor: z.uuid().nullable() })),
    },
    400: problem("Invalid query"),
  },
});

const read = defineRoute(anyRole(["admin"], "Only an admin can read dead letters."), {
  method: "get",
  operationId: "getDeadLetter",
  path: "/api/events/dead-letters/{id}",
  summary: "One dead letter, with the message body as the Queue held it (admin)",
  tags: ["events"],
  request: { params: z.object({ id: z.uuid() }) },
  responses: {
    200: { description: "The dead letter", content: json(deadLetterSchema) },
    400: problem("Invalid id"),
    404: problem("No such dead letter"),
  },
});

const replay = defineRoute(anyRole(["admin"], "Only an admin can replay dead letters."), {
  method: "post",
  operationId: "replayDeadLetter",
  path: "/api/events/dead-letters/{id}/replay",
  summary: "Send a dead letter back to the Queue once its cause is fixed (admin)",
  tags: ["events"],
  request: { params: z.object({ id: z.uuid() }) },
  responses: {
    200: { description: "The dead letter, marked replayed", content: json(deadLetterSchema) },
    400: problem("Invalid id"),
    404: problem("No such dead letter"),
  },
});

export const deadLetterRoutes = new OpenAPIHono<EventsEnv>()
  .openapi(list, async (c) => {
    const page = await listDeadLetters(c.var.database().db, c.req.valid("query"));
    return c.json({ items: page.items.map(present), nextCursor: page.nextCursor }, 200);
  })
  .openapi(read, async (c) => {
    const letter = await findDeadLetter(c.var.database().db, c.req.valid("param").id);
    if (!letter) throw new ProblemError("not-found", { detail: "No such dead letter." });
    return c.json(present(letter), 200);
  })
  .openapi(replay, async (c) => {
    const replayed = await replayDeadLetter(c.var.database().db, c.env.EVENTS_QUEUE, c.req.valid("param").id);
    if (!replayed) throw new ProblemError("not-found", { detail: "No such dead letter." });
    return c.json(present(replayed), 200);
  });
