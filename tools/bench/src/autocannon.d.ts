// autocannon ships no types. This declares only what the bench uses, so nothing untyped crosses
// into the harness: options in, the `response` event and the aggregate result out.
declare module "autocannon" {
  import type { EventEmitter } from "node:events";

  export interface Options {
    readonly url: string;
    readonly method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
    readonly headers?: Readonly<Record<string, string>>;
    readonly body?: string;
    readonly connections?: number;
    /** Seconds. */
    readonly duration?: number;
    /** Stop after this many requests instead of after `duration`. */
    readonly amount?: number;
    /** Requests per second across all connections; each connection gets an equal share per second. */
    readonly overallRate?: number;
    /** autocannon's own coordinated-omission correction assumes a per-ms rate; the bench records latencies itself. */
    readonly ignoreCoordinatedOmission?: boolean;
    /** Seconds before a request counts as timed out. */
    readonly timeout?: number;
    readonly pipelining?: number;
    /** Request templates, taken in turn; `setupRequest` may rewrite each request before it is sent. */
    readonly requests?: readonly RequestTemplate[];
  }

  export interface RequestParams {
    readonly method?: string;
    readonly path?: string;
    readonly headers?: Readonly<Record<string, string>>;
    readonly body?: string;
  }

  export interface RequestTemplate {
    readonly setupRequest?: (request: RequestParams) => RequestParams;
    /** Called with every response to this template; headers lower-cased. */
    readonly onResponse?: (
      status: number,
      body: string,
      context: unknown,
      headers: Readonly<Record<string, string>>,
    ) => void;
  }

  /** The fields present both in the aggregated result (main thread) and the raw one (worker thread). */
  export interface Result {
    /** Seconds, as measured by autocannon. */
    readonly duration: number;
    /** Connection errors plus timeouts. */
    readonly errors: number;
    readonly timeouts: number;
    readonly statusCodeStats: Readonly<Record<string, { readonly count: number }>>;
  }

  export interface Instance extends EventEmitter {
    /** `responseTime` is in milliseconds (from process.hrtime, fractional). */
    on(
      event: "response",
      listener: (client: unknown, statusCode: number, resBytes: number, responseTime: number) => void,
    ): this;
    stop(): void;
  }

  type Callback = (error: Error | null, result: Result) => void;

  function autocannon(options: Options, callback: Callback): Instance;
  export default autocannon;
}
