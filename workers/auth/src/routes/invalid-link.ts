import { ProblemError } from "@platform/http-kit";

/**
 * The one answer to a mailed link that cannot be used: expired, already used, replaced by a newer
 * one, tampered with, or for another purpose. One answer for all, so a link tells nothing about why.
 */
export const INVALID_LINK_DETAIL = "This link is invalid, expired or already used.";

export function invalidLink(): ProblemError {
  return new ProblemError("bad-request", {
    detail: INVALID_LINK_DETAIL,
    errors: [{ path: "json.token", message: INVALID_LINK_DETAIL }],
  });
}
