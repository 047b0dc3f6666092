/**
 * The Node typecheck (tsconfig.node.json) has no Workers runtime types, yet the routes tests import
 * workers' apps, whose binding types name a few of its globals. Each is declared here as far as those
 * types need it; in a test the binding's value is a stand-in implementing the worker's RPC contract.
 */

/** A service binding: `fetch`, plus the RPC methods of the contract it is intersected with. */
interface Fetcher {
  fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>;
}
