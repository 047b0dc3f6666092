/** An error answered the way Stripe answers it: `{ "error": { type, message, param?, code? } }`. */
export class StripeApiError extends Error {
  readonly status: number;
  readonly type: string;
  readonly param: string | undefined;
  readonly code: string | undefined;

  constructor(status: number, type: string, message: string, extra: { param?: string; code?: string } = {}) {
    super(message);
    this.status = status;
    this.type = type;
    this.param = extra.param;
    this.code = extra.code;
  }

  toJSON() {
    return {
      error: {
        type: this.type,
        message: this.message,
        ...(this.param && { param: this.param }),
        ...(this.code && { code: this.code }),
      },
    };
  }
}

export const invalid = (message: string, param?: string, code?: string) =>
  new StripeApiError(400, "invalid_request_error", message, { ...(param && { param }), ...(code && { code }) });

export const missing = (kind: string, id: string, param = "id") =>
  new StripeApiError(404, "invalid_request_error", `No such ${kind}: '${id}'`, { param, code: "resource_missing" });
