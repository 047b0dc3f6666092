/** The sandbox's checkout page: plain server-rendered HTML, no scripts, no external assets. */

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (char) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[char] ?? char,
  );

/** Minor units as people read them, with the currency's own number of decimals (JPY has none). */
export function formatMoney(amountMinor: number, currency: string): string {
  const format = new Intl.NumberFormat("en", { style: "currency", currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(amountMinor / 10 ** digits);
}

export interface CheckoutPageInput {
  readonly title: string;
  readonly what: string;
  readonly amountMinor: number;
  readonly currency: string;
  /** Null: the checkout can still be paid. Otherwise why it cannot (already paid, expired …). */
  readonly closedBecause: string | null;
  readonly payAction: string;
  readonly declineAction: string;
}

export function checkoutPage(input: CheckoutPageInput): string {
  const price = formatMoney(input.amountMinor, input.currency);
  const body = input.closedBecause
    ? `<p class="closed">${escapeHtml(input.closedBecause)}</p>`
    : `<form method="post" action="${escapeHtml(input.payAction)}"><button type="submit" class="pay">Pay ${escapeHtml(price)}</button></form>
    <form method="post" action="${escapeHtml(input.declineAction)}"><button type="submit" class="decline">Decline</button></form>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Sandbox checkout: ${escapeHtml(input.title)}</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 28rem; margin: 3rem auto; padding: 0 1rem; color: #1f2933; }
  .note { background: #fff7d6; border: 1px solid #e8c547; padding: .5rem .75rem; border-radius: .375rem; font-size: .9rem; }
  .price { font-size: 2rem; font-weight: 600; margin: .25rem 0 1.5rem; }
  form { display: inline; }
  button { font: inherit; padding: .6rem 1.2rem; border-radius: .375rem; border: 1px solid #52606d; cursor: pointer; margin-right: .5rem; }
  .pay { background: #1f6feb; color: #fff; border-color: #1f6feb; }
  .decline { background: #fff; }
  .closed { font-weight: 600; }
</style>
</head>
<body>
<p class="note">Sandbox: no money moves. Stripe is not configured on this server, so this page stands in for its checkout.</p>
<h1>${escapeHtml(input.title)}</h1>
<p>${escapeHtml(input.what)}</p>
<p class="price">${escapeHtml(price)}</p>
${body}
</body>
</html>`;
}
