import { ifNoneMatchMatches } from "@platform/http-kit";
/**
 * One byte range from a `Range` header (RFC 9110 §14): `bytes=a-b`, `bytes=a-` or `bytes=-n`.
 * What players send to seek. Several ranges in one header are answered with the whole object
 * (the RFC lets a server ignore Range), which spares multipart/byteranges bodies no player needs.
 */
export type RangeRequest =
  | { readonly kind: "whole" }
  | { readonly kind: "part"; readonly offset: number; readonly length: number }
  | { readonly kind: "unsatisfiable" };

const WHOLE: RangeRequest = { kind: "whole" };

export function parseRange(header: string | null | undefined, size: number): RangeRequest {
  if (!header) return WHOLE;
  const match = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  // Not one well-formed byte range (another unit, several ranges, garbage): ignore it.
  if (!match) return WHOLE;
  const [, first = "", last = ""] = match;
  if (first === "" && last === "") return WHOLE;
  if (first === "") {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return { kind: "unsatisfiable" };
    const length = Math.min(suffix, size);
    return { kind: "part", offset: size - length, length };
  }
  const offset = Number(first);
  if (last !== "" && Number(last) < offset) return WHOLE;
  if (offset >= size) return { kind: "unsatisfiable" };
  const end = last === "" ? size - 1 : Math.min(Number(last), size - 1);
  return { kind: "part", offset, length: end - offset + 1 };
}

/**
 * Whether `If-None-Match` names this ETag (weak comparison, as RFC 9110 §13.1.2 asks for it),
 * or is `*`. Then a GET answers 304. The kit's parser matches quoted tags rather than splitting
 * on commas, which a tag may contain.
 */
export function noneMatch(header: string | null | undefined, httpEtag: string): boolean {
  return ifNoneMatchMatches(header, httpEtag);
}

/**
 * `If-Range`: a range applies only while the representation is still the one the client has
 * part of. Keys are content-unique here, but an ETag costs nothing to compare. A date is not
 * compared (strong validation needs the ETag), so it sends the whole object.
 */
export function rangeStillValid(ifRange: string | null | undefined, httpEtag: string): boolean {
  if (!ifRange) return true;
  const tag = ifRange.trim();
  return !tag.startsWith("W/") && tag === httpEtag;
}
