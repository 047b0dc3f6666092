/** How long an endpoint's address may be when it is written into a notice (the template takes up to 2,048). */
const MAX_SHOWN = 300;

/**
 * A webhook endpoint's address as a notice shows it: enough to recognise which endpoint it is, without what an
 * integrator may have put in it as a secret. Credentials (`https://user:pass@…`) are dropped and a query string
 * (`?token=…`, as many receivers take a shared secret) becomes `?…`; mail passes through servers and stays in
 * inboxes, and the admin console shows the whole address to whoever may see it. A long path is cut to 300 characters.
 */
export function shownEndpoint(address: string): string {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    // The event's schema checked it is a URL; should one still not parse, show nothing of what it might carry.
    return "(an address that cannot be read)";
  }
  const query = url.search ? "?…" : "";
  const shown = `${url.protocol}//${url.host}${url.pathname}`;
  return shown.length > MAX_SHOWN ? `${shown.slice(0, MAX_SHOWN - 1)}…${query}` : `${shown}${query}`;
}
