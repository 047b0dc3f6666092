import type { ReceivedMail, RefusalRule } from "./types.ts";

/** The mailbox's control API, for tests in another process than the one that started it. */
export function mailboxClient(baseUrl: string) {
  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      ...(body !== undefined && { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`test mailbox ${method} ${path} answered ${response.status}: ${text}`);
    return JSON.parse(text) as T;
  }
  return {
    /** Every message accepted so far, oldest first; only those to `to` (envelope or To header) when given. */
    messages: (filter: { to?: string; subject?: string } = {}) => {
      const query = new URLSearchParams(Object.entries(filter).filter(([, value]) => value !== undefined));
      return call<ReceivedMail[]>("GET", `/messages${query.size ? `?${query}` : ""}`);
    },
    clearMessages: () => call<unknown>("DELETE", "/messages"),
    refuse: (rule: RefusalRule) => call<unknown>("POST", "/refusals", rule),
    clearRefusals: () => call<unknown>("DELETE", "/refusals"),
  };
}

export type MailboxClient = ReturnType<typeof mailboxClient>;
