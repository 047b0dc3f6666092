import type { ApiResult } from "./api";
import { formText } from "./forms";
import { COURSE_LEVELS, type CourseLevel, type Price, type StudioCourse } from "./studio";
import { PRICE_CURRENCIES, amountText, parsePrice, type PriceInput } from "./money-input";

/**
 * The course form (new course and the course's details): what the author typed, kept as typed so
 * a refused form comes back as they left it, and turned into the API's body — a whole course to
 * create, or only the fields that changed to patch (so `COURSE_UPDATED` names what really changed).
 */

export interface CourseFormValues {
  readonly title: string;
  readonly slug: string;
  readonly summary: string;
  readonly description: string;
  readonly language: string;
  readonly level: string;
  readonly amount: string;
  readonly currency: string;
}

export type CourseField = keyof CourseFormValues;

/** The languages offered first; a course in another one keeps its own (the API takes any `xx` or `xx-YY` tag). */
export const COMMON_COURSE_LANGUAGES = [
  "en",
  "de",
  "fr",
  "es",
  "it",
  "pt",
  "pt-BR",
  "nl",
  "pl",
  "sv",
  "da",
  "nb",
  "fi",
  "cs",
  "ro",
  "hu",
  "tr",
  "uk",
  "ar",
  "hi",
  "ja",
  "ko",
  "zh",
] as const;

export const DEFAULT_CURRENCY = "EUR";

export function emptyCourseForm(locale: string): CourseFormValues {
  return {
    title: "",
    slug: "",
    summary: "",
    description: "",
    language: locale,
    level: "beginner",
    amount: "",
    currency: DEFAULT_CURRENCY,
  };
}

export function courseFormOf(course: StudioCourse): CourseFormValues {
  return {
    title: course.title,
    slug: course.slug,
    summary: course.summary,
    description: course.description,
    language: course.language,
    level: course.level,
    amount: course.price ? amountText(course.price.amountMinor, course.price.currency) : "",
    currency: course.price?.currency ?? DEFAULT_CURRENCY,
  };
}

export function readCourseForm(form: FormData): CourseFormValues {
  return {
    title: formText(form, "title").trim(),
    slug: formText(form, "slug").trim(),
    summary: formText(form, "summary").trim(),
    // Normalised as browsers submit textareas (CRLF); the author's spacing is otherwise theirs.
    description: formText(form, "description").replace(/\r\n/g, "\n"),
    language: formText(form, "language").trim(),
    level: formText(form, "level"),
    amount: formText(form, "amount").trim(),
    currency: formText(form, "currency").trim().toUpperCase(),
  };
}

export interface CourseBody {
  readonly title: string;
  readonly slug?: string;
  readonly summary: string;
  readonly description: string;
  readonly language: string;
  readonly level: CourseLevel;
  readonly price: Price | null;
}

export type CourseFormCheck =
  | { readonly ok: true; readonly body: CourseBody }
  | { readonly ok: false; readonly price: Extract<PriceInput, { ok: false }> };

/**
 * What the site itself checks before sending: the price (so its reason reads in the author's
 * language). Every other rule is the API's, and its field errors come back beside the fields.
 */
export function courseBodyOf(values: CourseFormValues): CourseFormCheck {
  const price = parsePrice(values.amount, values.currency);
  if (!price.ok) return { ok: false, price };
  const level = COURSE_LEVELS.find((candidate) => candidate === values.level) ?? "beginner";
  return {
    ok: true,
    body: {
      title: values.title,
      ...(values.slug && { slug: values.slug }),
      summary: values.summary,
      description: values.description,
      language: values.language,
      level,
      price: price.price,
    },
  };
}

const samePrice = (a: Price | null, b: Price | null) =>
  a === b || (a !== null && b !== null && a.amountMinor === b.amountMinor && a.currency === b.currency);

/** Only the fields that differ from the course as it is. */
export function courseChanges(course: StudioCourse, body: CourseBody): Partial<CourseBody> {
  const changes: Record<string, unknown> = {};
  if (body.title !== course.title) changes.title = body.title;
  if (body.slug !== undefined && body.slug !== course.slug) changes.slug = body.slug;
  if (body.summary !== course.summary) changes.summary = body.summary;
  if (body.description !== course.description) changes.description = body.description;
  if (body.language !== course.language) changes.language = body.language;
  if (body.level !== course.level) changes.level = body.level;
  if (!samePrice(body.price, course.price)) changes.price = body.price;
  return changes as Partial<CourseBody>;
}

/** The API's field errors by form field (`json.price.amountMinor` belongs beside the amount). */
export function courseFieldErrors(result: ApiResult<unknown> | undefined): Partial<Record<CourseField, string>> {
  if (!result || result.ok) return {};
  const errors: Partial<Record<CourseField, string>> = {};
  for (const { path, message } of result.problem.errors ?? []) {
    const field = fieldOfPath(path);
    if (field && !errors[field]) errors[field] = message;
  }
  // A taken slug is a 409 with only a detail: it belongs beside the slug.
  if (result.status === 409 && result.problem.detail && !errors.slug) errors.slug = result.problem.detail;
  return errors;
}

function fieldOfPath(path: string): CourseField | undefined {
  if (path === "json.price.currency") return "currency";
  if (path.startsWith("json.price")) return "amount";
  const name = path.replace(/^json\./, "");
  const fields: readonly CourseField[] = ["title", "slug", "summary", "description", "language", "level"];
  return fields.find((field) => field === name);
}

export { PRICE_CURRENCIES };
