import type { Locale } from "../i18n/locales";
import { messagesFor } from "../i18n/messages";
import { commonMessages } from "../i18n/messages/common";
import { studioMessages, type StudioText } from "../i18n/messages/studio";
import { REFUSAL_STATUS, courseGate, type Refusal, type StudioCourse } from "./studio";

type CommonText = (typeof commonMessages)["en"];

interface CoursePageContext extends Omit<Parameters<typeof courseGate>[0], "locals"> {
  readonly params: { readonly id?: string | undefined };
  readonly locals: Parameters<typeof courseGate>[0]["locals"] & { readonly locale: Locale };
  readonly response: { status?: number };
}

export type CoursePage =
  | { readonly kind: "redirect"; readonly response: Response }
  | {
      readonly kind: "page";
      /** The course the visitor may edit; undefined when the page refuses them. */
      readonly course: StudioCourse | undefined;
      /** Why it refuses them, for StudioShell; the page's HTTP status is already set from it. */
      readonly refusal: Refusal | undefined;
      readonly locale: Locale;
      readonly t: StudioText;
      readonly common: CommonText;
    };

/**
 * How every page under `/studio/courses/{id}` starts: the course gate for `Astro.params.id`
 * (signed out: the redirect the page returns; refused: the status answered and the refusal shown),
 * and the studio's and the common words in the visitor's language.
 */
export async function coursePage(context: CoursePageContext): Promise<CoursePage> {
  const gate = await courseGate(context, context.params.id);
  if (gate.kind === "redirect") return gate;
  const refusal = gate.kind === "refused" ? gate.refusal : undefined;
  if (refusal) context.response.status = REFUSAL_STATUS[refusal];
  const locale = context.locals.locale;
  return {
    kind: "page",
    course: gate.kind === "ok" ? gate.course : undefined,
    refusal,
    locale,
    t: messagesFor(locale, studioMessages),
    common: messagesFor(locale, commonMessages),
  };
}
