import type { NoticeContent } from "./content.ts";
import { de } from "./copy/de.ts";
import { en } from "./copy/en.ts";
import type { Copy } from "./copy/types.ts";
import { TEMPLATE_DATA, type TemplateData, type TemplateName } from "./data-schemas.ts";
import { renderHtml } from "./email-html.ts";
import { renderText } from "./email-text.ts";
import { formatterFor, type Formatter } from "./formatting.ts";
import { resolveLocale, type Language } from "./locale.ts";
import { TemplateError } from "./template-error.ts";
import { TEMPLATE_CATEGORY, type Category } from "./categories.ts";

export type { TemplateName, TemplateData } from "./data-schemas.ts";
export { TEMPLATE_CATEGORY, type Category } from "./categories.ts";
export { TemplateError } from "./template-error.ts";

export interface RenderContext {
  /** The recipient's BCP 47 locale (`de-CH`, `en-GB`…): picks the language and how dates and money read. */
  readonly locale: string;
  /** The recipient's IANA time zone, for every date in the notice. */
  readonly timeZone: string;
  /** The one-click unsubscribe link for this person and the template's category; null: none (security mail). */
  readonly unsubscribeUrl: string | null;
}

export interface RenderedNotice {
  /** The language actually used ("en" or "de"). */
  readonly locale: Language;
  readonly email: { readonly subject: string; readonly html: string; readonly text: string };
  readonly inApp: { readonly title: string; readonly body: string; readonly link: string | null };
  readonly push: { readonly title: string; readonly body: string; readonly url: string | null };
}

const COPY: Readonly<Record<Language, Copy>> = { en, de };

export const TEMPLATE_NAMES = Object.keys(TEMPLATE_DATA) as readonly TemplateName[];

export const isTemplateName = (value: string): value is TemplateName => Object.hasOwn(TEMPLATE_DATA, value);

function validated<T extends TemplateName>(template: T, data: unknown): TemplateData[T] {
  const result = TEMPLATE_DATA[template].safeParse(data);
  if (result.success) return result.data as TemplateData[T];
  const variables = [...new Set(result.error.issues.map((issue) => issue.path.join(".") || "(data)"))];
  const details = result.error.issues.map((issue) => `${issue.path.join(".") || "(data)"}: ${issue.message}`);
  throw new TemplateError(template, `invalid or missing variables: ${details.join("; ")}`, variables);
}

function contentOf<T extends TemplateName>(copy: Copy, template: T, data: TemplateData[T], format: Formatter) {
  // TypeScript cannot correlate the indexed function with its data type; TEMPLATE_DATA[T] did the checking.
  const write = copy.templates[template] as (data: TemplateData[T], format: Formatter) => NoticeContent;
  return write(data, format);
}

/**
 * One notice in every channel's shape, in the recipient's language. Throws TemplateError, before
 * anything is rendered, for an unknown template or data the template refuses: the caller dead-letters
 * the event with that reason instead of sending half a mail.
 */
export function renderNotice(template: string, data: unknown, context: RenderContext): RenderedNotice {
  if (!isTemplateName(template)) throw new TemplateError(template, "unknown template");
  const values = validated(template, data);
  const locale = resolveLocale(context.locale);
  const copy = COPY[locale.language];
  const content = contentOf(copy, template, values, formatterFor(locale, context.timeZone));
  const category: Category = TEMPLATE_CATEGORY[template];
  const frame = {
    greeting: copy.greeting(values.name),
    footer: copy.footer,
    copyLinkHint: copy.copyLinkHint,
    unsubscribe: context.unsubscribeUrl ? { label: copy.unsubscribe(category), url: context.unsubscribeUrl } : null,
  };
  return {
    locale: locale.language,
    email: {
      // A line break (or other control character) in a variable such as a course title must not reach the
      // Subject header, where it is refused; no-break spaces ("49,00 €") stay.
      subject: content.subject.replace(/[\p{Cc}\u2028\u2029]+/gu, " ").trim(),
      html: renderHtml(locale.language, content, frame),
      text: renderText(content, frame),
    },
    inApp: content.inApp,
    push: content.push ?? { title: content.inApp.title, body: content.inApp.body, url: content.inApp.link },
  };
}
