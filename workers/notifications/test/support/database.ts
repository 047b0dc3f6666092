import pg from "pg";
import { inject } from "vitest";
import { openDatabase } from "@platform/db";
import { databaseBindings } from "../../../../test/support/in-process.ts";
import * as schema from "../../src/db/schema.ts";

/**
 * The routes project's PostgreSQL twice: through the Neon driver and drizzle, as the worker reaches it (the
 * code under test), and through node-postgres, for what a test sets up or checks behind the code's back.
 */
export function notificationsDatabase() {
  const handle = openDatabase(databaseBindings(), schema);
  const admin = new pg.Pool({ connectionString: inject("routesDatabaseUrl") });
  return {
    db: handle.db,
    admin,
    async close() {
      await handle.close();
      await admin.end();
    },
    async deliveriesOf(userId: string) {
      const { rows } = await admin.query<{
        id: string;
        channel: string;
        category: string;
        template: string;
        locale: string;
        recipient: string | null;
        payload: Record<string, unknown>;
        status: string;
        attempts: number;
        next_attempt_at: Date;
        last_error: string | null;
        provider_id: string | null;
        caused_by: string | null;
        sent_at: Date | null;
      }>("select * from notifications.deliveries where user_id = $1 order by template, channel, recipient", [userId]); // channel: the enum's order (email, push, in_app)
      return rows;
    },
    async noticesOf(userId: string) {
      const { rows } = await admin.query<{
        id: string;
        category: string;
        template: string;
        title: string;
        body: string;
        link: string | null;
        caused_by: string | null;
      }>("select * from notifications.notices where user_id = $1 order by created_at, id", [userId]);
      return rows;
    },
    async mute(userId: string, category: string, channel: string) {
      await admin.query(
        "insert into notifications.preferences (user_id, category, channel, enabled) values ($1, $2, $3, false)",
        [userId, category, channel],
      );
    },
    async subscribePush(userId: string, endpoint = `https://push.example.com/${crypto.randomUUID()}`) {
      const id = crypto.randomUUID();
      await admin.query(
        "insert into notifications.push_subscriptions (id, user_id, endpoint, p256dh, auth) values ($1, $2, $3, 'k', 'a')",
        [id, userId, endpoint],
      );
      return id;
    },
  };
}
