import { isDomainService, bindingNameOf } from "@platform/contracts";
import { createServiceApp, respondWithProblem } from "@platform/http-kit";
import { authenticate } from "./auth/authenticate.ts";
import { forwardTo, type GatewayContext, type GatewayEnv } from "./forward.ts";
import { platformHealth } from "./health.ts";

const app = createServiceApp<GatewayEnv>({ service: "gateway" });

app.get("/api/health", async (c) => {
  const health = await platformHealth(c.env, c.var.correlationId);
  c.header("cache-control", "no-store");
  return c.json(health, health.status === "pass" ? 200 : 503);
});

/** The JWKS and OIDC discovery document are the auth worker's, published at the origin. */
app.get("/.well-known/jwks.json", (c) => forwardTo(c, c.env.AUTH, "auth"));
app.get("/.well-known/openid-configuration", (c) => forwardTo(c, c.env.AUTH, "auth"));

app.use("/api/*", authenticate);

/** `/api/<domain>` and everything under it belongs to that domain's worker, path unchanged. */
const toDomain = (c: GatewayContext) => {
  const service = c.req.param("service") ?? "";
  if (!isDomainService(service)) {
    return respondWithProblem(c, "not-found", 404, { detail: `No API is served under /api/${service}.` });
  }
  return forwardTo(c, c.env[bindingNameOf(service)], service);
};
app.all("/api/:service/*", toDomain);
app.all("/api/:service", toDomain);

/** Everything outside /api is the site's. */
app.all("*", (c) => forwardTo(c, c.env.SITE, "site"));

export default app;
