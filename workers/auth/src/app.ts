import { createDomainApp } from "@platform/service-kit";
import * as schema from "./db/schema.ts";
import type { AuthEnv } from "./env.ts";
import { accountRoutes } from "./routes/account.ts";
import { apiKeyRoutes } from "./routes/api-keys.ts";
import { emailChangeRoutes } from "./routes/email-change.ts";
import { emailVerificationRoutes } from "./routes/email-verification.ts";
import { oauthTokenRoutes } from "./routes/oauth-token.ts";
import { oidcSignInRoutes } from "./routes/oidc-sign-in.ts";
import { passwordChangeRoutes } from "./routes/password-change.ts";
import { passwordResetRoutes } from "./routes/password-reset.ts";
import { providerRoutes } from "./routes/providers.ts";
import { registerRoutes } from "./routes/register.ts";
import { sessionRoutes } from "./routes/sessions.ts";
import { wellKnownRoutes } from "./routes/well-known.ts";

export const app = createDomainApp<AuthEnv, typeof schema>({
  service: "auth",
  schema,
  openapi: {
    title: "Edge Learning: auth",
    tags: [
      { name: "auth", description: "Accounts, sign-in and sessions: access tokens and rotating refresh tokens" },
      { name: "integrators", description: "API keys with scopes, and OAuth client credentials (docs/integrators.md)" },
    ],
  },
});
app.route("/", registerRoutes);
app.route("/", sessionRoutes);
app.route("/", wellKnownRoutes);
app.route("/", providerRoutes);
app.route("/", oidcSignInRoutes);
app.route("/", accountRoutes);
app.route("/", emailVerificationRoutes);
app.route("/", passwordResetRoutes);
app.route("/", passwordChangeRoutes);
app.route("/", emailChangeRoutes);
app.route("/", apiKeyRoutes);
app.route("/", oauthTokenRoutes);
