/**
 * A TCP connection, shaped like `cloudflare:sockets`' `Socket` so the SMTP client runs on workerd
 * unchanged, and in Node tests over a `node:net` adapter (test/support/node-socket.ts) against a real
 * SMTP server. The client never imports a runtime's socket module: the connector is handed in.
 */
export interface SocketLike {
  readonly readable: ReadableStream<Uint8Array>;
  readonly writable: WritableStream<Uint8Array>;
  /** Resolves once connected; rejects if the connection fails. */
  readonly opened: Promise<unknown>;
  close(): Promise<void>;
  /** Upgrades the connection in place (STARTTLS); only on a socket opened with `secureTransport: "starttls"`. */
  startTls(): SocketLike;
}

export interface SocketOptions {
  /** `off`: plain; `on`: TLS from the first byte (port 465); `starttls`: plain, upgradable later. */
  readonly secureTransport: "off" | "on" | "starttls";
  readonly allowHalfOpen: boolean;
}

/** Opens a connection: `connect` from `cloudflare:sockets` in the worker (email/cloudflare-socket.ts). */
export type SocketConnector = (address: { hostname: string; port: number }, options: SocketOptions) => SocketLike;
