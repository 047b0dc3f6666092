/**
 * The pages a person sees when they follow an unsubscribe link: plain server-rendered HTML, no script,
 * no external assets, readable by a screen reader (one heading, a labelled form, a status message).
 */

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (char) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[char] ?? char,
  );

/** What the page's headers say besides its type: nothing is cached, framed, indexed, or told the token. */
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  "cache-control": "no-store",
  "content-security-policy":
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
  // The token is in the page's URL: no Referer may carry it anywhere.
  "referrer-policy": "no-referrer",
  "x-robots-tag": "noindex",
};

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 32rem; margin: 3rem auto; padding: 0 1rem; color: #1f2933; }
  button { font: inherit; padding: .6rem 1.2rem; border-radius: .375rem; border: 1px solid #1f6feb; background: #1f6feb; color: #fff; cursor: pointer; }
  button:focus-visible { outline: 3px solid #f0b429; outline-offset: 2px; }
</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>`;
}

/** Asks before anything changes: a GET (a link scanner, a preview) must never unsubscribe anyone. */
export function confirmPage(description: string, action: string): string {
  return page(
    "Unsubscribe from these emails?",
    `<h1>Unsubscribe from these emails?</h1>
<p>You will no longer get emails about: <strong>${escapeHtml(description)}</strong>.</p>
<p>Other emails, and notices in the app, are not affected. Emails about your account's security are always sent.</p>
<form method="post" action="${escapeHtml(action)}">
<button type="submit" name="confirm" value="yes">Unsubscribe</button>
</form>`,
  );
}

export function donePage(description: string): string {
  return page(
    "You are unsubscribed",
    `<h1>You are unsubscribed</h1>
<p role="status">You will no longer get emails about: <strong>${escapeHtml(description)}</strong>.</p>
<p>Changed your mind? Turn them back on in your notification settings once signed in.</p>
<p><a href="/">Back to Edge Learning</a></p>`,
  );
}

export function invalidLinkPage(): string {
  return page(
    "This unsubscribe link does not work",
    `<h1>This unsubscribe link does not work</h1>
<p role="alert">The link is incomplete or was changed. Open it again from the email, copying the whole address,
or change what you receive in your notification settings once signed in. Nothing was changed.</p>
<p><a href="/">Back to Edge Learning</a></p>`,
  );
}
