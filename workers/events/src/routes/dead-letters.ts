import { OpenAPIHono, createRoute, z } from "@hono/zod-openapi";
import { ProblemError, requireRole } from "@platform/http-kit";
import { problemContent } from "@platform/http-kit/openapi";
import type { DeadLetter } from "../dead-letters.ts";
import { listDeadLetters, replayDeadLetter } from "../dead-letters.ts";
import type { EventsEnv } from "../env.ts";

const deadLetterSchema = z.object({
  id: z.uuid(),
  messageId: z.string(),
  eventId: z.uuid().nullable(),
  eventType: z.string().nullable(),
  body: z.unknown(),
  attempts: z.int(),
  receivedAt: z.iso.datetime({ offset: true }),
  replayedAt: z.iso.datetime({ offset: true }).nullable(),
});

const present = (letter: DeadLetter): z.infer<typeof deadLetterSchema> => ({
  ...letter,
  receivedAt: letter.receivedAt.toISOString(),
  replayedAt: letter.replayedAt?.toISOString() ?? null,
});

const security = [{ bearer: [] }];
const adminErrors = {
  401: { description: "Not signed in", content: problemContent },
  403: { description: "Not an admin", content: problemContent },
};

const list = createRoute({
  method: "get",
  path: "/api/events/dead-letters",
  summary: "Messages the Queue gave up on, newest first (admin)",
  tags: ["events"],
  security,
  request: {
    query: z.object({ cursor: z.uuid().optional(), limit: z.coerce.number().int().min(1).max(100).default(20) }),
  },
  responses: {
    200: {
      description: "A page of dead letters",
      content: { "application/json": { schema: z.object({ items: z.array(deadLetterSchema), nextCursor: z.uuid().nullable() }) } },
    },
    400: { description: "Invalid query", content: problemContent },
    ...adminErrors,
  },
});

const replay = createRoute({
  method: "post",
  path: "/api/events/dead-letters/{id}/replay",
  summary: "Send a dead letter back to the Queue once its cause is fixed (admin)",
  tags: ["events"],
  security,
  request: { params: z.object({ id: z.uuid() }) },
  responses: {
    200: { description: "The dead letter, marked replayed", content: { "application/json": { schema: deadLetterSchema } } },
    400: { description: "Invalid id", content: problemContent },
    ...adminErrors,
    404: { description: "No such dead letter", content: problemContent },
  },
});

export const deadLetterRoutes = new OpenAPIHono<EventsEnv>()
  .openapi(list, async (c) => {
    requireRole(c, "admin", "Only an admin can read dead letters.");
    const page = await listDeadLetters(c.var.database().db, c.req.valid("query"));
    return c.json({ items: page.items.map(present), nextCursor: page.nextCursor }, 200);
  })
  .openapi(replay, async (c) => {
    requireRole(c, "admin", "Only an admin can replay dead letters.");
    const replayed = await replayDeadLetter(c.var.database().db, c.env.EVENTS_QUEUE, c.req.valid("param").id);
    if (!replayed) throw new ProblemError("not-found", { detail: "No such dead letter." });
    return c.json(present(replayed), 200);
  });
