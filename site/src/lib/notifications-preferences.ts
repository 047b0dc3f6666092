/** The notification preferences as the API answers them: every category with every channel. */
export interface Preferences {
  readonly categories: ReadonlyArray<{
    readonly category: string;
    readonly description: string;
    readonly channels: ReadonlyArray<{ readonly channel: string; readonly enabled: boolean; readonly locked: boolean }>;
  }>;
}

export interface PreferenceChange {
  readonly category: string;
  readonly channel: string;
  readonly enabled: boolean;
}

/**
 * The `PUT` body for a posted preferences form: every pair the person may change, on when its box
 * (`<category>:<channel>`) was ticked. An unticked checkbox is simply absent from a form, so the
 * pairs come from the state the API gave, not from the form; locked pairs are left out (their box
 * is disabled and never sent, and the API keeps them on anyway).
 */
export function preferenceChanges(state: Preferences, form: FormData): PreferenceChange[] {
  return state.categories.flatMap(({ category, channels }) =>
    channels
      .filter(({ locked }) => !locked)
      .map(({ channel }) => ({ category, channel, enabled: form.has(`${category}:${channel}`) })),
  );
}
