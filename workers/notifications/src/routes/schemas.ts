import { z } from "@hono/zod-openapi";
import { CATEGORIES, CHANNELS } from "../preferences/categories.ts";

const instant = z.iso.datetime({ offset: true });

/** At most this many changes per `PUT`: every category × channel once. */
export const MAX_PREFERENCE_CHANGES = CATEGORIES.length * CHANNELS.length;

// Zod's own message lists the options but not what was sent; a 400 that names the unknown value is clearer.
const category = z
  .enum(CATEGORIES, { error: (issue) => `unknown category ${JSON.stringify(issue.input)}` })
  .openapi({ description: "What a notice is about" });
const channel = z
  .enum(CHANNELS, { error: (issue) => `unknown channel ${JSON.stringify(issue.input)}` })
  .openapi({ description: "How a notice reaches you" });

export const inboxQuery = z.object({
  limit: z.coerce.number().int().min(1).max(50).default(20).openapi({ example: 20 }),
  cursor: z.string().max(200).optional().openapi({ description: "`nextCursor` of the previous page" }),
  unread: z
    .enum(["true", "false"])
    .optional()
    .transform((value) => value === "true")
    .openapi({ description: "`true`: only notices not read yet" }),
});

export const noticeIdParam = z.object({ id: z.uuid() });

const noticeSchema = z
  .object({
    id: z.uuid(),
    category,
    template: z.string().openapi({ description: "Which kind of notice (`purchase-confirmed`, `course-completed`, …)" }),
    title: z.string(),
    body: z.string(),
    link: z.string().nullable().openapi({ description: "Where the notice leads, a path on the platform's origin" }),
    createdAt: instant,
    readAt: instant.nullable(),
  })
  .openapi("Notice");

export const inboxSchema = z
  .object({
    items: z.array(noticeSchema),
    nextCursor: z.string().nullable(),
    unreadCount: z.int().min(0),
  })
  .openapi("Inbox");

export const readSchema = z
  .object({ id: z.uuid(), readAt: instant, unreadCount: z.int().min(0) })
  .openapi("NoticeRead");

export const readAllSchema = z
  .object({
    updated: z.int().min(0).openapi({ description: "How many notices this marked read" }),
    unreadCount: z.int().min(0).openapi({ description: "Unread after: 0, unless a notice arrived meanwhile" }),
  })
  .openapi("NoticesRead");

export const preferencesSchema = z
  .object({
    categories: z.array(
      z.object({
        category,
        description: z.string(),
        channels: z.array(
          z.object({
            channel,
            enabled: z.boolean(),
            locked: z.boolean().openapi({ description: "Cannot be turned off (security email)" }),
          }),
        ),
      }),
    ),
  })
  .openapi("NotificationPreferences");

export const preferencesChange = z
  .object({
    preferences: z
      .array(z.object({ category, channel, enabled: z.boolean() }))
      .max(MAX_PREFERENCE_CHANGES)
      .superRefine((changes, context) => {
        const seen = new Set<string>();
        changes.forEach((change, index) => {
          const key = `${change.category}/${change.channel}`;
          if (seen.has(key)) {
            context.addIssue({ code: "custom", path: [index], message: `${key} is listed twice` });
          }
          seen.add(key);
        });
      }),
  })
  .openapi("NotificationPreferencesChange");
