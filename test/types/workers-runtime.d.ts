/**
 * The Node typecheck (tsconfig.node.json) has no Workers runtime types, yet the routes tests import
 * workers' apps, whose binding types name a few of its globals. Each is declared here as far as those
 * types need it; in a test the binding's value is a stand-in implementing the worker's RPC contract.
 */

/** A service binding: `fetch`, plus the RPC methods of the contract it is intersected with. */
interface Fetcher {
  fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>;
}

/**
 * The courses worker's storage bindings. Its routes tests leave R2 out (they reach no media code)
 * and give the caches a local KV of their own (workers/courses/test/local-kv.ts). `any` on purpose: the Workers typecheck holds their real types; here they
 * only need to exist for the app's types to load.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
type R2Bucket = any;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
type KVNamespace = any;
/** A Workers stream that knows its length in advance (the courses worker's media uploads). */
declare class FixedLengthStream extends TransformStream<Uint8Array, Uint8Array> {
  constructor(expectedLength: number | bigint);
}
