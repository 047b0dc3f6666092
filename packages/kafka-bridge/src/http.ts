import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface StatusServer {
  readonly url: string;
  close(): Promise<void>;
}

/** `/metrics` (Prometheus text) and `/health` (JSON; 200 or 503). Nothing else, and GET only. */
export async function serveStatus(options: {
  readonly host: string;
  readonly port: number;
  readonly metrics: () => string;
  readonly health: () => { readonly ok: boolean; readonly body: unknown };
}): Promise<StatusServer> {
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://bridge").pathname;
    if (request.method !== "GET" && request.method !== "HEAD") {
      response.writeHead(405, { allow: "GET, HEAD" }).end();
      return;
    }
    if (path === "/metrics") {
      response.writeHead(200, {
        "content-type": "text/plain; version=0.0.4; charset=utf-8",
        "cache-control": "no-store",
      });
      response.end(request.method === "HEAD" ? undefined : options.metrics());
      return;
    }
    if (path === "/health") {
      const health = options.health();
      response.writeHead(health.ok ? 200 : 503, { "content-type": "application/json", "cache-control": "no-store" });
      response.end(request.method === "HEAD" ? undefined : JSON.stringify(health.body));
      return;
    }
    response
      .writeHead(404, { "content-type": "text/plain; charset=utf-8" })
      .end("Not found: try /metrics or /health\n");
  });
  // Scrapes are short; a stuck client must not keep shutdown waiting.
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ host: options.host, port: options.port }, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(":") ? `[${options.host}]` : options.host;
  return {
    url: `http://${host === "0.0.0.0" ? "127.0.0.1" : host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
