import { WorkerEntrypoint } from "cloudflare:workers";
import { createApiApp } from "@platform/http-kit/openapi";
import { databaseMiddleware, serviceHealthHandler } from "@platform/db";
import { verifyAccessToken, type TokenCheck } from "./access-tokens.ts";
import * as schema from "./db/schema.ts";
import { tokenSettings, type AuthBindings, type AuthEnv } from "./env.ts";
import { registerRoutes } from "./routes/register.ts";
import { sessionRoutes } from "./routes/sessions.ts";
import { wellKnownRoutes } from "./routes/well-known.ts";

export { SessionStore } from "./session-store.ts";
export { LoginThrottle } from "./login-throttle.ts";

const app = createApiApp<AuthEnv>({ service: "auth" });
app.use(databaseMiddleware(schema));
app.get("/health", serviceHealthHandler("auth"));
app.route("/", registerRoutes);
app.route("/", sessionRoutes);
app.route("/", wellKnownRoutes);

export { app };

/** HTTP through the gateway, plus typed RPC for internal callers (result unions: RPC drops error classes). */
export default class AuthWorker extends WorkerEntrypoint<AuthBindings> {
  override fetch(request: Request): Response | Promise<Response> {
    return app.fetch(request, this.env, this.ctx);
  }

  /** The seed's `validateToken`: verifies one of our access tokens. */
  async validateToken(token: string): Promise<TokenCheck> {
    return verifyAccessToken(tokenSettings(this.env), token);
  }
}
