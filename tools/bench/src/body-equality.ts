/** One answer as the bytes on the wire, for comparing two servers that claim to serve the same thing. */
export interface CapturedResponse {
  /** Who answered, for the message (e.g. "platform" or "Node peer"). */
  readonly source: string;
  readonly url: string;
  readonly status: number;
  readonly contentType: string;
  readonly body: Uint8Array;
}

export async function captureResponse(
  source: string,
  url: string,
  headers: Readonly<Record<string, string>> = {},
): Promise<CapturedResponse> {
  const response = await fetch(url, { headers, signal: AbortSignal.timeout(30_000) });
  return {
    source,
    url,
    status: response.status,
    contentType: response.headers.get("content-type") ?? "",
    body: new Uint8Array(await response.arrayBuffer()),
  };
}

const CONTEXT_BYTES = 60;
const decoder = new TextDecoder("utf-8", { fatal: false });

function excerpt(body: Uint8Array, at: number): string {
  const start = Math.max(0, at - CONTEXT_BYTES);
  const text = decoder.decode(body.subarray(start, at + CONTEXT_BYTES));
  return `${start > 0 ? "…" : ""}${JSON.stringify(text)}${at + CONTEXT_BYTES < body.length ? "…" : ""}`;
}

/** The media type without parameters, lower-cased: `Application/JSON; charset=UTF-8` is `application/json`. */
const mediaType = (contentType: string) => contentType.split(";")[0]?.trim().toLowerCase() ?? "";

/**
 * How two answers differ, or `undefined` when they are the same: status, media type, and the body
 * byte for byte (not as parsed JSON: the same object with its keys in another order is a
 * difference, since the comparison is about serving identical bytes).
 */
export function differenceBetween(a: CapturedResponse, b: CapturedResponse): string | undefined {
  if (a.status !== b.status) return `status ${a.status} from the ${a.source}, ${b.status} from the ${b.source}`;
  if (mediaType(a.contentType) !== mediaType(b.contentType)) {
    return `content type "${a.contentType}" from the ${a.source}, "${b.contentType}" from the ${b.source}`;
  }
  const length = Math.min(a.body.length, b.body.length);
  let at = 0;
  while (at < length && a.body[at] === b.body[at]) at++;
  if (at === length && a.body.length === b.body.length) return undefined;
  return [
    `the bodies differ from byte ${at} (${a.source}: ${a.body.length} bytes, ${b.source}: ${b.body.length} bytes)`,
    `  ${a.source}: ${excerpt(a.body, at)}`,
    `  ${b.source}: ${excerpt(b.body, at)}`,
  ].join("\n");
}

/** Thrown before any measuring when the peer does not serve what the platform serves. */
export class DifferentAnswersError extends Error {
  constructor(what: string, difference: string) {
    super(`${what}: ${difference}`);
    this.name = "DifferentAnswersError";
  }
}

/** Fails loudly, naming where they part, unless both answers are the same bytes. */
export function assertSameAnswer(what: string, a: CapturedResponse, b: CapturedResponse): void {
  const difference = differenceBetween(a, b);
  if (difference) throw new DifferentAnswersError(what, difference);
}
