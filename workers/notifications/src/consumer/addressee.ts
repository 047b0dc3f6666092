import type { AuthRpc, UsersRpc } from "@platform/contracts";
import { NoticeDeferred } from "./plan.ts";

/** How to reach and address one person: where their mail goes (if anywhere), their name, language and zone. */
export interface Addressee {
  /** Null: no mail (a disabled account). */
  readonly email: string | null;
  readonly name: string | null;
  readonly locale: string;
  readonly timeZone: string;
}

export interface AddresseeSources {
  readonly AUTH: Pick<AuthRpc, "mailRecipient">;
  readonly USERS: Pick<UsersRpc, "contactProfile">;
}

/** Until a person's profile says otherwise: English, dates in UTC. */
export const DEFAULT_LOCALE = "en";
export const DEFAULT_TIME_ZONE = "UTC";

/**
 * Asks auth where the person's mail goes and users how to address them, at once. A service that cannot answer
 * defers the event (the router retries it). A person auth does not know (erased: the event came late) is nobody to
 * tell anything: null. A disabled account gets no mail, only its inbox. A person
 * without a profile (USER_CREATED reaches the users worker at the same time as this one) is greeted with the name
 * they registered with, in English.
 */
export async function addresseeOf(
  sources: AddresseeSources,
  userId: string,
  fallbackName: string | null,
): Promise<Addressee | null> {
  const [recipient, profile] = await Promise.all([
    sources.AUTH.mailRecipient(userId),
    sources.USERS.contactProfile(userId),
  ]);
  if (!recipient.ok && recipient.code === "unavailable") {
    throw new NoticeDeferred("the auth service cannot tell where the mail goes");
  }
  if (!profile.ok && profile.code === "unavailable") {
    throw new NoticeDeferred("the users service cannot tell how to address the person");
  }
  if (!recipient.ok) return null;
  const email = recipient.value.status === "active" ? recipient.value.email : null;
  if (profile.ok) {
    return { email, name: profile.value.name, locale: profile.value.locale, timeZone: profile.value.timeZone };
  }
  return { email, name: fallbackName, locale: DEFAULT_LOCALE, timeZone: DEFAULT_TIME_ZONE };
}
