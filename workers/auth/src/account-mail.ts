import type { AccountMail, AccountMailRequest } from "@platform/contracts";
import { errorText, logLine } from "@platform/http-kit";
import type { AuthBindings } from "./env.ts";

/**
 * Asks the notifications worker for an account mail. Called after the change it is about has
 * committed; a mail that cannot be recorded (the worker unavailable, the call throwing) is logged
 * and never undoes or alters the answer: the person can ask for the link again, and an answer that
 * differed when mail failed would tell a stranger that the address has an account.
 */
export async function sendAccountMail(
  env: Pick<AuthBindings, "NOTIFICATIONS">,
  request: { userId: string; to: string; localeHint?: string | undefined; mail: AccountMail },
  correlationId: string,
): Promise<void> {
  const { localeHint, ...rest } = request;
  const payload: AccountMailRequest = localeHint ? { ...rest, localeHint } : rest;
  try {
    const result = await env.NOTIFICATIONS.sendAccountMail(payload, correlationId);
    if (!result.ok) {
      logLine("error", "auth", "account mail not recorded", {
        template: request.mail.template,
        userId: request.userId,
        code: result.code,
        correlationId,
      });
    }
  } catch (error) {
    logLine("error", "auth", "account mail not recorded", {
      template: request.mail.template,
      userId: request.userId,
      error: errorText(error),
      correlationId,
    });
  }
}

const LANGUAGE_TAG = /^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$/;

/**
 * The first language of an `Accept-Language` header, for mail to someone without a profile locale
 * yet (right after registration). Quality values are ignored: browsers list the preferred one first.
 */
export function localeHintFrom(acceptLanguage: string | undefined): string | undefined {
  const first = acceptLanguage?.split(",")[0]?.split(";")[0]?.trim();
  return first && first !== "*" && first.length <= 35 && LANGUAGE_TAG.test(first) ? first : undefined;
}
