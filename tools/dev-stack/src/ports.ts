import { createServer, type AddressInfo } from "node:net";

export class PortInUseError extends Error {
  readonly port: number;
  readonly purpose: string;

  constructor(port: number, purpose: string) {
    super(
      `Port ${port} (${purpose}) is already in use. Is another \`npm start\` running? Stop it or set a different port.`,
    );
    this.name = "PortInUseError";
    this.port = port;
    this.purpose = purpose;
  }
}

/** Fails with a message a person can act on, instead of a stack trace from whichever server loses the race. */
export async function assertPortFree(port: number, purpose: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = createServer();
    server.once("error", () => reject(new PortInUseError(port, purpose)));
    server.listen({ host: "127.0.0.1", port, exclusive: true }, () => server.close(() => resolve()));
  });
}

/** A port the OS considers free right now (tests use these so they never collide with a dev stack). */
export async function freePort(): Promise<number> {
  return await new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen({ host: "127.0.0.1", port: 0 }, () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
