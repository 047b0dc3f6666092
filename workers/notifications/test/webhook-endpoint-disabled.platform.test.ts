import { describe, expect, it } from "vitest";
import { api, gatewayUrl } from "../../../test/support/api.ts";
import { db } from "../../../test/support/database.ts";
import { mailTo, waitForMail } from "../../../test/support/mailbox.ts";
import { emitAs } from "../../../test/support/outbox.ts";
import { admin } from "../../../test/support/people.ts";
import { settledDeliveries } from "./support/journey.ts";

/**
 * WEBHOOK_ENDPOINT_DISABLED → the `webhook-endpoint-disabled` mail, on the running platform: the event written into
 * the events worker's outbox (where the event router writes it when it gives up on an endpoint) for a real admin
 * account, relayed by the sweep through the Queue and the router to the notifications worker, and the mail at the
 * test's SMTP server: to the admin, security mail (no unsubscribe), saying which endpoint, why, how many deliveries,
 * and linking the admin console. The endpoint's own disabling is proved with the webhooks (workers/events).
 */
async function addressOf(userId: string): Promise<string> {
  const { rows } = await db.query<{ email: string }>("select email from auth.accounts where id = $1", [userId]);
  const email = rows[0]?.email;
  if (!email) throw new Error(`no account ${userId}`);
  return email;
}

describe("a webhook endpoint disabled", () => {
  it("its owner, an admin, gets the mail once and the notice in the inbox", async () => {
    const owner = await admin("webhook-owner");
    const email = await addressOf(owner.userId);
    const endpointId = crypto.randomUUID();

    const event = await emitAs("events", "WEBHOOK_ENDPOINT_DISABLED", {
      endpointId,
      userId: owner.userId,
      url: `https://hooks.example.net/edge-learning/${endpointId}?secret=do-not-mail`,
      reason: 'HTTP 500 "Internal <Server> Error" on every attempt for 3 days',
      failedDeliveries: 3,
      disabledAt: new Date().toISOString(),
    });

    const mail = await waitForMail(email, { subject: "A webhook endpoint was disabled" });
    expect(mail.envelope.to).toEqual([email]);
    expect(mail.text).toContain(`Your webhook endpoint https://hooks.example.net/edge-learning/${endpointId}?… kept`);
    expect(mail.text).toContain('Why: HTTP 500 "Internal <Server> Error" on every attempt for 3 days');
    expect(mail.text).toContain("3 deliveries to it were given up.");
    expect(mail.text).toContain(`Open the admin console:\n${gatewayUrl}/admin\n`);
    expect(mail.text).not.toContain("do-not-mail");
    expect(mail.html).toContain("Why: HTTP 500 &quot;Internal &lt;Server&gt; Error&quot;");
    expect(mail.html).toContain(`href="${gatewayUrl}/admin"`);
    // Security mail: nothing to unsubscribe from.
    expect(mail.headers["list-unsubscribe"]).toBeUndefined();

    expect(await settledDeliveries(owner.userId, "webhook-endpoint-disabled", 2)).toEqual([
      { channel: "email", status: "sent", attempts: 1, last_error: null },
      { channel: "in_app", status: "sent", attempts: 1, last_error: null },
    ]);
    const inbox = await api<{ items: { template: string; category: string; link: string | null }[] }>(
      "GET",
      "/api/notifications",
      { token: owner.token },
    );
    expect(inbox.body.items.filter((item) => item.template === "webhook-endpoint-disabled")).toEqual([
      expect.objectContaining({ category: "security", link: `${gatewayUrl}/admin` }),
    ]);
    const { rows } = await db.query<{ caused_by: string }>(
      "select caused_by from notifications.deliveries where user_id = $1 and template = 'webhook-endpoint-disabled'",
      [owner.userId],
    );
    expect(rows.map((row) => row.caused_by)).toEqual([event.id, event.id]);
    expect(await mailTo(email, { subject: "webhook endpoint" })).toHaveLength(1);
  });
});
