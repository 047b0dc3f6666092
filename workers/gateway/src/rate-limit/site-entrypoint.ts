import { WorkerEntrypoint } from "cloudflare:workers";
import { TRACEPARENT_HEADER, parseTraceparent, runInSpan } from "@platform/http-kit";
import type { GatewayBindings } from "../bindings.ts";
import { asVisitorRequest } from "./visitor-address.ts";

type Handler = (request: Request, env: GatewayBindings, ctx: ExecutionContext) => Response | Promise<Response>;

/**
 * The named entrypoint the site binds to (`entrypoint = "SiteApi"` in site/wrangler.toml): the
 * gateway's own app, with the request attributed to the visitor the site names. Only the site can
 * call here, so the `traceparent` it sends (the span of the page view the gateway forwarded to it)
 * is continued: the app's request runs inside it, which the public entry never does (trace.ts).
 */
export function siteApiEntrypoint(handle: Handler) {
  return class SiteApi extends WorkerEntrypoint<GatewayBindings> {
    override fetch(request: Request): Response | Promise<Response> {
      const parent = parseTraceparent(request.headers.get(TRACEPARENT_HEADER));
      const run = () => handle(asVisitorRequest(request), this.env, this.ctx);
      return parent ? runInSpan(parent, run) : run();
    }
  };
}
