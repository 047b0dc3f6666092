import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createConnection } from "node:net";
import type { AddressInfo } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";
import { SQL_OVER_HTTP_PATH, sqlOverHttp } from "./sql-over-http.ts";

/**
 * The local stand-in for Neon's two endpoints. WebSocket: the Neon driver (in workerd or Node)
 * opens `ws://<proxy>/v2?address=host:port` and speaks the PostgreSQL wire protocol over it (a
 * session per connection, for interactive transactions); this pipes the bytes to a TCP socket.
 * HTTP: `POST /sql` answers one query (or a batch) on a pooled session (sql-over-http.ts), which is
 * how the workers run every query outside a transaction. It only ever connects to the one database
 * it was started for, so it cannot be used as an open relay, and it listens on loopback only.
 */
export interface WsProxy {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * What the workers see of the database through the proxy, switched by tests (with `control`):
 * `down` refuses new connections and drops open ones (the database is unreachable), `hang`
 * accepts connections and never answers (a database that holds every query), `up` is normal.
 */
export type DatabaseState = "up" | "down" | "hang";
const STATES: readonly DatabaseState[] = ["up", "down", "hang"];

/** The control path: `POST` a state as the body (204), `GET` the current one. */
export const PROXY_CONTROL_PATH = "/_control/database";

export interface WsProxyOptions {
  readonly port: number;
  readonly target: { readonly host: string; readonly port: number };
  /** Serve the test-only switch at `PROXY_CONTROL_PATH`; off for `npm start`. */
  readonly control?: boolean;
}

export async function startWsProxy(options: WsProxyOptions): Promise<WsProxy> {
  const allowed = `${options.target.host}:${options.target.port}`;
  let state: DatabaseState = "up";
  const sql = sqlOverHttp({ target: options.target });
  const server = createServer((request, response) => {
    if (options.control && request.url === PROXY_CONTROL_PATH) {
      void control(request, response);
      return;
    }
    if (request.url === SQL_OVER_HTTP_PATH) {
      void sql.handle(request, response);
      return;
    }
    response.writeHead(404).end();
  });
  const wss = new WebSocketServer({ server });
  const sockets = new Set<WebSocket>();
  // Connections open while the database "hangs": they never carry a byte again, and are dropped once it is back.
  const frozen = new Set<WebSocket>();

  const setState = (next: DatabaseState) => {
    state = next;
    sql.setState(next);
    if (next === "down") for (const socket of sockets) socket.terminate();
    if (next === "hang") for (const socket of sockets) frozen.add(socket);
    if (next === "up") for (const socket of frozen) socket.terminate();
  };

  async function control(request: IncomingMessage, response: ServerResponse) {
    if (request.method === "GET") {
      response.writeHead(200, { "content-type": "text/plain" }).end(state);
      return;
    }
    let body = "";
    for await (const chunk of request) body += String(chunk);
    const next = body.trim() as DatabaseState;
    if (request.method !== "POST" || !STATES.includes(next)) {
      response.writeHead(400, { "content-type": "text/plain" }).end(`POST one of: ${STATES.join(", ")}`);
      return;
    }
    setState(next);
    response.writeHead(204).end();
  }

  wss.on("connection", (socket, request) => {
    const address = new URL(request.url ?? "/", "ws://proxy").searchParams.get("address");
    if (address !== allowed) {
      socket.close(1008, "address not allowed");
      return;
    }
    if (state === "down") {
      socket.terminate();
      return;
    }
    sockets.add(socket);
    if (state === "hang") frozen.add(socket);
    const tcp = createConnection({ host: options.target.host, port: options.target.port });
    const pending: Buffer[] = [];
    tcp.on("connect", () => {
      for (const chunk of pending.splice(0)) tcp.write(chunk);
    });
    socket.on("message", (data: Buffer | ArrayBuffer | Buffer[]) => {
      if (frozen.has(socket)) return;
      const chunk = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
      if (tcp.connecting) pending.push(chunk);
      else tcp.write(chunk);
    });
    tcp.on("data", (chunk) => {
      if (frozen.has(socket)) return;
      if (socket.readyState === socket.OPEN) socket.send(chunk);
    });
    const closeBoth = () => {
      sockets.delete(socket);
      frozen.delete(socket);
      tcp.destroy();
      if (socket.readyState === socket.OPEN || socket.readyState === socket.CONNECTING) socket.close();
    };
    tcp.on("error", closeBoth);
    tcp.on("close", closeBoth);
    socket.on("close", closeBoth);
    socket.on("error", closeBoth);
  });

  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
    server.listen(options.port, "127.0.0.1");
  });

  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }).then(() => sql.close()),
  };
}

/** Switches what the workers see of the database, through a proxy started with `control` (tests only). */
export async function setProxyDatabaseState(proxyPort: number, state: DatabaseState): Promise<void> {
  const response = await fetch(`http://127.0.0.1:${proxyPort}${PROXY_CONTROL_PATH}`, {
    method: "POST",
    body: state,
    signal: AbortSignal.timeout(5_000),
  });
  if (response.status !== 204)
    throw new Error(`The proxy switch answered ${response.status}: ${await response.text()}`);
}
