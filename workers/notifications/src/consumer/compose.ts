import { v7 as uuidv7 } from "uuid";
import type { Queryable } from "../db/database.ts";
import type { deliveries, notices } from "../db/schema.ts";
import type { EmailDeliveryPayload, InAppDeliveryPayload, PushDeliveryPayload } from "../delivery/payloads.ts";
import type { NotificationsBindings } from "../env.ts";
import { enabledChannels } from "../preferences/preferences.ts";
import { pushTargetsOf } from "../push/subscriptions.ts";
import { renderNotice, TEMPLATE_CATEGORY } from "../templates/index.ts";
import { listUnsubscribeHeaders, unsubscribeUrl } from "../unsubscribe/links.ts";
import type { Addressee } from "./addressee.ts";
import type { PlannedNotice } from "./plan.ts";

export type NewNotice = typeof notices.$inferInsert;
export type NewDelivery = typeof deliveries.$inferInsert;

/** What one event writes: the in-app notices shown now, and one delivery per channel and recipient. */
export interface Composition {
  readonly notices: NewNotice[];
  readonly deliveries: NewDelivery[];
}

/** What composing reads and signs with: the unsubscribe links' origin and secret. */
export type ComposeEnv = Pick<NotificationsBindings, "PUBLIC_ORIGIN" | "UNSUBSCRIBE_SECRET">;

export interface ComposeInput {
  readonly userId: string;
  /** The event that caused the notices: the dedupe keys and `caused_by` name it. */
  readonly causedBy: string;
  readonly addressee: Addressee;
  readonly planned: readonly PlannedNotice[];
  readonly now: Date;
}

/**
 * Renders every planned notice for the channels the person allows and turns it into rows, without writing
 * anything: reads (preferences, push subscriptions) happen here, before the event's transaction, and a
 * `TemplateError` thrown here leaves nothing half-written (the event goes to the dead letters with it).
 *
 * Every non-security mail carries a one-click unsubscribe link for its category (RFC 8058), in its footer and
 * its `List-Unsubscribe` headers. One delivery per cause, channel, template and recipient: the dedupe key
 * makes a re-sent event's rows collide with the first ones.
 */
export async function composeNotices(db: Queryable, env: ComposeEnv, input: ComposeInput): Promise<Composition> {
  const { userId, causedBy, addressee, now } = input;
  const composition: Composition = { notices: [], deliveries: [] };
  let subscriptions: string[] | undefined;
  for (const planned of input.planned) {
    const category = TEMPLATE_CATEGORY[planned.template];
    const channels = await enabledChannels(db, userId, category);
    const mailTo = channels.has("email") ? addressee.email : null;
    const unsubscribe = mailTo && category !== "security" ? await unsubscribeUrl(env, userId, category) : null;
    // Rendered whatever the channels: a template that cannot render is a bug to see now, not when someone unmutes.
    const rendered = renderNotice(
      planned.template,
      { ...planned.data, name: addressee.name },
      { locale: addressee.locale, timeZone: addressee.timeZone, unsubscribeUrl: unsubscribe },
    );
    const noticeId = channels.has("in_app") ? uuidv7() : null;
    const row = (channel: NewDelivery["channel"], recipient: string | null, payload: object): NewDelivery => ({
      id: uuidv7(),
      userId,
      channel,
      category,
      template: planned.template,
      locale: rendered.locale,
      recipient,
      payload: payload as Record<string, unknown>,
      nextAttemptAt: planned.dueAt ?? now,
      causedBy,
      dedupeKey: `${causedBy}:${channel}:${planned.template}:${recipient ?? userId}`,
    });

    if (mailTo) {
      const email: EmailDeliveryPayload = {
        ...rendered.email,
        headers: unsubscribe ? listUnsubscribeHeaders(unsubscribe) : {},
      };
      composition.deliveries.push(row("email", mailTo, email));
    }
    if (channels.has("push")) {
      // Each subscription is its own delivery: a phone and a laptop both show it.
      subscriptions ??= (await pushTargetsOf(db, userId)).map((target) => target.id);
      const push: PushDeliveryPayload = { ...rendered.push, noticeId };
      for (const subscription of subscriptions) composition.deliveries.push(row("push", subscription, push));
    }
    if (noticeId) {
      const inApp: InAppDeliveryPayload = {
        noticeId,
        category,
        template: planned.template,
        ...rendered.inApp,
        causedBy,
      };
      composition.deliveries.push(row("in_app", null, inApp));
      // A notice due later enters the inbox when its delivery comes due (delivery/in-app.ts), not before.
      if (!planned.dueAt) {
        composition.notices.push({
          id: noticeId,
          userId,
          category,
          template: planned.template,
          ...rendered.inApp,
          causedBy,
        });
      }
    }
  }
  return composition;
}
