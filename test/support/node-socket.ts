import { isIP, connect as netConnect, type Socket } from "node:net";
import { connect as tlsConnect, type TLSSocket } from "node:tls";
import type { SocketConnector, SocketLike } from "../../workers/notifications/src/email/socket.ts";

export interface NodeSocketOptions {
  /** The test mailbox's STARTTLS certificate is self-signed: tests that upgrade turn verification off. */
  readonly rejectUnauthorized?: boolean;
}

/**
 * The SMTP client's socket interface (shaped like `cloudflare:sockets`) over `node:net`/`node:tls`, so
 * Node tests drive the worker's own SMTP code against a real server. Streams are built by hand rather
 * than with Duplex.toWeb: STARTTLS must detach the plain stream's listeners before TLS takes the socket.
 */
export function nodeSocketConnector(options: NodeSocketOptions = {}): SocketConnector {
  return ({ hostname, port }, { secureTransport }) => {
    if (secureTransport === "on") {
      const secure = tlsConnect({ host: hostname, port, ...serverName(hostname), ...options });
      return wrap(secure, "secureConnect", hostname, options);
    }
    return wrap(netConnect({ host: hostname, port }), "connect", hostname, options);
  };
}

/** SNI takes host names only (RFC 6066): none for an IP address such as 127.0.0.1. */
const serverName = (hostname: string) => (isIP(hostname) ? {} : { servername: hostname });

function wrap(
  socket: Socket | TLSSocket,
  readyEvent: "connect" | "secureConnect",
  hostname: string,
  options: NodeSocketOptions,
): SocketLike {
  const opened = new Promise<void>((resolve, reject) => {
    socket.once(readyEvent, () => resolve());
    socket.once("error", reject);
  });
  // Errors surface through `opened` and the streams; an unhandled 'error' event would crash the test run.
  socket.on("error", () => undefined);
  const onData: Array<(chunk: Buffer) => void> = [];
  const readable = new ReadableStream<Uint8Array>({
    start(controller) {
      const data = (chunk: Buffer) => controller.enqueue(new Uint8Array(chunk));
      onData.push(data);
      socket.on("data", data);
      socket.once("end", () => controller.close());
      socket.once("close", () => {
        try {
          controller.close();
        } catch {
          // Already closed by 'end'.
        }
      });
    },
  });
  const writable = new WritableStream<Uint8Array>({
    write: (chunk) =>
      new Promise<void>((resolve, reject) => socket.write(chunk, (error) => (error ? reject(error) : resolve()))),
  });
  return {
    readable,
    writable,
    opened,
    close: async () => {
      socket.destroy();
    },
    startTls: () => {
      for (const listener of onData) socket.off("data", listener);
      socket.removeAllListeners("end");
      socket.removeAllListeners("close");
      const secure = tlsConnect({ socket, ...serverName(hostname), ...options });
      return wrap(secure, "secureConnect", hostname, options);
    },
  };
}
