import { WorkerEntrypoint } from "cloudflare:workers";
import type { GatewayBindings } from "../bindings.ts";
import { asVisitorRequest } from "./visitor-address.ts";

type Handler = (request: Request, env: GatewayBindings, ctx: ExecutionContext) => Response | Promise<Response>;

/**
 * The named entrypoint the site binds to (`entrypoint = "SiteApi"` in site/wrangler.toml): the
 * gateway's own app, with the request attributed to the visitor the site names.
 */
export function siteApiEntrypoint(handle: Handler) {
  return class SiteApi extends WorkerEntrypoint<GatewayBindings> {
    override fetch(request: Request): Response | Promise<Response> {
      return handle(asVisitorRequest(request), this.env, this.ctx);
    }
  };
}
