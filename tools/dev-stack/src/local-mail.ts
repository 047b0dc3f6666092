/**
 * The developer's mail catcher for `npm start`: MailDev (the `maildev` npm package), a real SMTP server
 * with a web inbox, on loopback. Every mail the platform sends lands there; no provider account needed.
 */
export interface LocalMail {
  /** Where the notifications worker sends (plain SMTP). */
  readonly smtp: { readonly host: string; readonly port: number };
  /** The web inbox. */
  readonly inboxUrl: string;
  /** Stops it; gives up waiting after `withinMs` (the process is ending anyway). */
  stop(withinMs?: number): Promise<void>;
}

export interface LocalMailOptions {
  readonly smtpPort: number;
  readonly webPort: number;
}

const HOST = "127.0.0.1";

/**
 * Starts MailDev. Imported on demand, so a missing or broken install costs the developer the inbox,
 * not the whole platform: the caller reports the error and starts without mail.
 */
export async function startLocalMail(options: LocalMailOptions): Promise<LocalMail> {
  const { MailDev } = await import("maildev");
  const maildev = new MailDev({
    smtp: options.smtpPort,
    web: options.webPort,
    // Loopback only: the inbox shows password-reset links; nobody else on the network should read it.
    ip: HOST,
    webIp: HOST,
    silent: true,
  });
  await maildev.start();
  return {
    smtp: { host: HOST, port: options.smtpPort },
    inboxUrl: `http://${HOST}:${options.webPort}/`,
    stop: (withinMs = 5000) =>
      Promise.race([
        maildev.stop().catch(() => undefined),
        new Promise<void>((resolve) => setTimeout(resolve, withinMs).unref()),
      ]),
  };
}
