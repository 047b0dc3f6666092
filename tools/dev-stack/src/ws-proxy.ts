import { createConnection } from "node:net";
import type { AddressInfo } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";

/**
 * The local stand-in for Neon's WebSocket endpoint: the Neon driver (in workerd or Node) opens
 * `ws://<proxy>/v2?address=host:port` and speaks the PostgreSQL wire protocol over it; this
 * pipes the bytes to a TCP socket. It only ever connects to the one database it was started
 * for, so it cannot be used as an open relay, and it listens on loopback only.
 */
export interface WsProxy {
  readonly port: number;
  close(): Promise<void>;
}

export interface WsProxyOptions {
  readonly port: number;
  readonly target: { readonly host: string; readonly port: number };
}

export async function startWsProxy(options: WsProxyOptions): Promise<WsProxy> {
  const allowed = `${options.target.host}:${options.target.port}`;
  const server = new WebSocketServer({ host: "127.0.0.1", port: options.port });
  const sockets = new Set<WebSocket>();

  server.on("connection", (socket, request) => {
    const address = new URL(request.url ?? "/", "ws://proxy").searchParams.get("address");
    if (address !== allowed) {
      socket.close(1008, "address not allowed");
      return;
    }
    sockets.add(socket);
    const tcp = createConnection({ host: options.target.host, port: options.target.port });
    const pending: Buffer[] = [];
    tcp.on("connect", () => {
      for (const chunk of pending.splice(0)) tcp.write(chunk);
    });
    socket.on("message", (data: Buffer | ArrayBuffer | Buffer[]) => {
      const chunk = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
      if (tcp.connecting) pending.push(chunk);
      else tcp.write(chunk);
    });
    tcp.on("data", (chunk) => {
      if (socket.readyState === socket.OPEN) socket.send(chunk);
    });
    const closeBoth = () => {
      sockets.delete(socket);
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
  });

  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.terminate();
        server.close(() => resolve());
      }),
  };
}
