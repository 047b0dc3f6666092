import { connect } from "cloudflare:sockets";
import type { SocketConnector } from "./socket.ts";

/**
 * The worker's TCP connector for SMTP: `cloudflare:sockets` as it is. Imported by src/index.ts only, so
 * the app (loaded in Node by the routes tests) never imports a workerd module.
 */
export const cloudflareConnect: SocketConnector = (address, options) => connect(address, options);
