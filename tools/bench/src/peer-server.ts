import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { stopGroup } from "@platform/dev-stack";

const MAIN = fileURLToPath(new URL("./peer/main.ts", import.meta.url));
/** The platform's access-token audience (JWT_AUDIENCE in wrangler.toml and workers/auth/wrangler.toml). */
const AUDIENCE = "edge-learning-api";

export interface NodePeer {
  readonly url: string;
  readonly pid: number;
  stop(): Promise<void>;
}

/**
 * Starts the Node peer (peer/main.ts) in a process group of its own on the stack's database,
 * trusting the tokens that `gatewayUrl`'s stack issues (its published keys and issuer).
 */
export async function startNodePeer(databaseUrl: string, gatewayUrl: string): Promise<NodePeer> {
  const jwks = await (await fetch(new URL("/.well-known/jwks.json", gatewayUrl))).text();
  const discovery = (await (await fetch(new URL("/.well-known/openid-configuration", gatewayUrl))).json()) as {
    issuer?: string;
  };
  if (!discovery.issuer) throw new Error("The platform published no issuer for the Node peer to trust.");
  const child = spawn(process.execPath, [MAIN], {
    detached: true,
    stdio: ["ignore", "pipe", "inherit"],
    env: {
      ...process.env,
      PEER_DATABASE_URL: databaseUrl,
      PEER_JWKS: jwks,
      PEER_ISSUER: discovery.issuer,
      PEER_AUDIENCE: AUDIENCE,
    },
  });
  try {
    const url = await listeningUrl(child);
    return { url, pid: child.pid ?? -1, stop: () => stopGroup(child) };
  } catch (error) {
    await stopGroup(child);
    throw error;
  }
}

function listeningUrl(child: ChildProcess): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let seen = "";
    const timer = setTimeout(() => reject(new Error("The Node peer did not start within 30 s.")), 30_000);
    child.stdout?.on("data", (chunk: Buffer) => {
      seen += chunk.toString("utf8");
      const match = /listening (http:\/\/\S+)/.exec(seen);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`The Node peer exited before it listened (${signal ?? `code ${code}`}).`));
    });
  });
}
