import { CURRENCIES, isCurrencyCode } from "@platform/contracts";
import type { Course, Price } from "./catalog";
import { knownDurationSeconds, type Syllabus } from "./course-syllabus";

/**
 * The course page's schema.org `Course`, for search engines (Google's course info rich result asks
 * for name, description, provider, offers and a course instance with its mode and workload).
 */
export interface CourseJsonLdInput {
  readonly course: Course;
  readonly syllabus: Syllabus;
  /** The page's canonical address. */
  readonly url: string;
  /** The cover as an absolute address, if the course has one. */
  readonly imageUrl: string | undefined;
  readonly siteName: string;
  readonly siteOrigin: string;
}

/** A price as schema.org wants it: a plain decimal string in major units (`49.00`, `500` for yen). */
export function schemaPrice(price: Price): string {
  const exponent = isCurrencyCode(price.currency) ? CURRENCIES[price.currency].exponent : 2;
  return (price.amountMinor / 10 ** exponent).toFixed(exponent);
}

/** Seconds as an ISO 8601 duration (`PT1H5M`), rounded to whole minutes. */
export function isoDuration(seconds: number): string {
  const minutes = Math.max(1, Math.round(seconds / 60));
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return `PT${hours > 0 ? `${hours}H` : ""}${rest > 0 || hours === 0 ? `${rest}M` : ""}`;
}

const LEVEL_NAMES = { beginner: "Beginner", intermediate: "Intermediate", advanced: "Advanced" } as const;

export function courseJsonLd(input: CourseJsonLdInput): Record<string, unknown> {
  const { course, syllabus, url } = input;
  const provider = { "@type": "Organization", name: input.siteName, url: input.siteOrigin };
  const workload = knownDurationSeconds(syllabus.lessons);
  const instructor = syllabus.instructor.name ? { "@type": "Person", name: syllabus.instructor.name } : undefined;
  return {
    "@context": "https://schema.org",
    "@type": "Course",
    "@id": url,
    url,
    name: course.title,
    description: course.summary || course.title,
    inLanguage: course.language,
    educationalLevel: LEVEL_NAMES[course.level],
    provider,
    ...(input.imageUrl && { image: input.imageUrl }),
    ...(course.publishedAt && { datePublished: course.publishedAt }),
    ...(instructor && { author: instructor }),
    isAccessibleForFree: course.price === null,
    offers: [
      {
        "@type": "Offer",
        category: course.price === null ? "Free" : "Paid",
        price: course.price === null ? "0" : schemaPrice(course.price),
        ...(course.price !== null && { priceCurrency: course.price.currency }),
        availability: "https://schema.org/InStock",
        url,
      },
    ],
    hasCourseInstance: [
      {
        "@type": "CourseInstance",
        courseMode: "Online",
        ...(workload > 0 && { courseWorkload: isoDuration(workload) }),
        ...(instructor && { instructor }),
      },
    ],
  };
}

/**
 * JSON for a `<script type="application/ld+json">` data block. `<`, `>` and `&` are written as
 * `\u003c` and so on (still the same JSON), so no text a course author wrote (`</script>`,
 * `<!--`) can end the block or start markup; U+2028 and U+2029 likewise, for old JavaScript parsers.
 */
export function jsonForScript(data: unknown): string {
  return JSON.stringify(data).replace(
    /[<>&\u2028\u2029]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
