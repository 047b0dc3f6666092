import type { NoticeContent } from "../content.ts";
import type { TemplateData, TemplateName } from "../data-schemas.ts";
import type { Formatter } from "../formatting.ts";
import type { Category } from "../categories.ts";

/** One language's words: each template, the greeting, and the footer's lines. */
export interface Copy {
  readonly templates: { readonly [T in TemplateName]: (data: TemplateData[T], format: Formatter) => NoticeContent };
  greeting(name: string | null): string;
  /** Under every mail: who sends it and why the person gets it. */
  readonly footer: string;
  /** Shown before a button's URL, for mail clients that do not show buttons. */
  readonly copyLinkHint: string;
  /** "Unsubscribe from purchase mail". */
  unsubscribe(category: Category): string;
}
