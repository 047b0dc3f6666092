/** The time zones a profile can choose from, grouped by region for a long `<select>`. */
export interface TimeZoneGroup {
  readonly region: string;
  readonly zones: readonly string[];
}

/**
 * Every IANA zone the runtime knows (the users API accepts exactly what `Intl` accepts), by region
 * (`Europe/Berlin` under Europe), with UTC on its own first. The profile's current zone is always
 * offered, even one this runtime does not list (an alias such as `Asia/Calcutta`), so saving the
 * form never changes it by accident.
 */
export function timeZoneGroups(current: string): TimeZoneGroup[] {
  const zones = new Set(Intl.supportedValuesOf("timeZone"));
  zones.delete("UTC");
  if (current && current !== "UTC") zones.add(current);
  const byRegion = new Map<string, string[]>();
  for (const zone of [...zones].sort()) {
    const region = zone.includes("/") ? zone.slice(0, zone.indexOf("/")) : "Other";
    byRegion.set(region, [...(byRegion.get(region) ?? []), zone]);
  }
  return [{ region: "UTC", zones: ["UTC"] }, ...[...byRegion].map(([region, list]) => ({ region, zones: list }))];
}

/** `America/Argentina/Buenos_Aires` → `Argentina / Buenos Aires`: the option's text without its region. */
export function timeZoneLabel(zone: string): string {
  const place = zone.includes("/") ? zone.slice(zone.indexOf("/") + 1) : zone;
  return place.replaceAll("_", " ").replaceAll("/", " / ");
}
