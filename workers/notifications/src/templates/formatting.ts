import type { ResolvedLocale } from "./locale.ts";

/** Dates and money the way the recipient reads them: their locale, their time zone. */
export interface Formatter {
  /** `12 March 2027` / `12. März 2027`. */
  date(iso: string): string;
  /** A date with the time and the zone's short name, for deadlines such as a link's expiry. */
  dateTime(iso: string): string;
  /** An amount in minor units (cents) of an ISO 4217 currency, e.g. `€49.00`, `¥4,900`, `KWD 1.250`. */
  money(amountMinor: number, currency: string): string;
  /** A whole number as the locale groups it: `1,234` / `1.234`. */
  count(value: number): string;
}

function validTimeZone(timeZone: string): string {
  try {
    new Intl.DateTimeFormat("en", { timeZone });
    return timeZone;
  } catch {
    // An unknown zone in a profile should not stop a mail: UTC is at worst a few hours off, and says so.
    return "UTC";
  }
}

export function formatterFor(locale: ResolvedLocale, timeZone: string): Formatter {
  const zone = validTimeZone(timeZone);
  const dates = new Intl.DateTimeFormat(locale.formatLocale, { dateStyle: "long", timeZone: zone });
  const dateTimes = new Intl.DateTimeFormat(locale.formatLocale, {
    dateStyle: "long",
    timeStyle: "short",
    timeZone: zone,
  });
  // A short zone name after the time ("14:30 MEZ", "2:30 PM GMT+1") so nobody misreads a deadline.
  const zoneName = new Intl.DateTimeFormat(locale.formatLocale, { timeZoneName: "short", timeZone: zone });
  const counts = new Intl.NumberFormat(locale.formatLocale, { maximumFractionDigits: 0 });
  return {
    date: (iso) => dates.format(new Date(iso)),
    dateTime: (iso) => {
      const instant = new Date(iso);
      const name = zoneName.formatToParts(instant).find((part) => part.type === "timeZoneName")?.value;
      return name ? `${dateTimes.format(instant)} ${name}` : dateTimes.format(instant);
    },
    money: (amountMinor, currency) => {
      const format = new Intl.NumberFormat(locale.formatLocale, { style: "currency", currency });
      // Minor units differ per currency (JPY has none, KWD three): ask Intl, never assume cents.
      const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
      return format.format(amountMinor / 10 ** digits);
    },
    count: (value) => counts.format(value),
  };
}
