import { emailTransportFrom, type SocketConnector } from "../email/transport.ts";
import type { NotificationsBindings } from "../env.ts";
import { loadVapidKeys, type VapidKeys } from "../push/vapid.ts";
import type { ChannelSenders } from "./attempt.ts";
import { emailSender } from "./email.ts";
import { inAppSender } from "./in-app.ts";
import { pushSender } from "./push.ts";

export interface SenderOptions {
  /** How the SMTP client opens TCP connections: `cloudflare:sockets` in workerd (src/index.ts), `node:net` in tests. */
  readonly connect?: SocketConnector;
  /** Tests: the push requests' fetch. */
  readonly fetch?: typeof fetch;
}

/** Every channel's sender, from the worker's settings and bindings; the VAPID key is imported once, when needed. */
export function channelSenders(env: NotificationsBindings, options: SenderOptions = {}): ChannelSenders {
  let vapid: Promise<VapidKeys | null> | undefined;
  return {
    email: emailSender(emailTransportFrom(env, options.connect), env),
    push: pushSender(() => (vapid ??= loadVapidKeys(env)), options.fetch ? { fetch: options.fetch } : {}),
    in_app: inAppSender(env.PROGRESS),
  };
}
