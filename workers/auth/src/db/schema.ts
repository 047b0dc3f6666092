import { sql } from "drizzle-orm";
import { boolean, check, index, jsonb, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { pgSchema } from "drizzle-orm/pg-core";
import { outboxTable } from "@platform/db";

/** Identity and credentials. Profiles live in the users service; this schema holds who may sign in. */
export const authSchema = pgSchema("auth");

export const roleEnum = authSchema.enum("role", ["learner", "instructor", "admin"]);
export const accountStatusEnum = authSchema.enum("account_status", ["active", "disabled"]);

export const accounts = authSchema.table(
  "accounts",
  {
    id: uuid("id").primaryKey(),
    /** Stored normalised (trimmed, lower-case) so uniqueness cannot be dodged by case. */
    email: text("email").notNull(),
    /** Self-describing KDF string (`scrypt$…`), so the cost can be raised later without a migration. */
    passwordHash: text("password_hash").notNull(),
    roles: roleEnum("roles")
      .array()
      .notNull()
      .default(sql`'{learner}'::auth.role[]`),
    status: accountStatusEnum("status").notNull().default("active"),
    /** When the owner proved they read mail at `email` (the link mailed after registration or an address change). */
    emailVerifiedAt: timestamp("email_verified_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex("accounts_email_key").on(table.email),
    check("accounts_email_normalised", sql`${table.email} = lower(btrim(${table.email}))`),
    check("accounts_has_role", sql`cardinality(${table.roles}) > 0`),
  ],
);

/**
 * External OpenID providers a school trusts (KeyCloak and the like). Their access tokens are
 * accepted at the gateway for `audience`, and their users can sign in through them.
 */
export const oidcProviders = authSchema.table(
  "oidc_providers",
  {
    id: uuid("id").primaryKey(),
    /** Short name used in sign-in URLs, e.g. `keycloak`. */
    slug: text("slug").notNull(),
    issuer: text("issuer").notNull(),
    clientId: text("client_id").notNull(),
    /** For the authorization-code flow; confidential, never returned by the API. */
    clientSecret: text("client_secret"),
    audience: text("audience").notNull(),
    /** Dotted path of the roles array in the provider's tokens; KeyCloak's is the default. */
    roleClaim: text("role_claim").notNull().default("realm_access.roles"),
    /** External role name → platform role; unmapped external roles are ignored. */
    roleMap: jsonb("role_map").$type<Record<string, "learner" | "instructor" | "admin">>().notNull().default({}),
    enabled: boolean("enabled").notNull().default(true),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex("oidc_providers_slug_key").on(table.slug),
    uniqueIndex("oidc_providers_issuer_key").on(table.issuer),
  ],
);

/** Which local account an external subject is: linked on first sight, by (provider, sub). */
export const externalIdentities = authSchema.table(
  "external_identities",
  {
    providerId: uuid("provider_id")
      .notNull()
      .references(() => oidcProviders.id, { onDelete: "cascade" }),
    subject: text("subject").notNull(),
    userId: uuid("user_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.providerId, table.subject] })],
);

export const accountTokenPurposeEnum = authSchema.enum("account_token_purpose", [
  "verify_email",
  "reset_password",
  "change_email",
]);

/**
 * The single-use links mailed to account owners (verify an address, reset a password, confirm a new
 * address). Only the SHA-256 of each token is kept: a copy of this table opens no account. A token
 * is used by setting `used_at`, never deleted at once, so a reused link fails like an expired one.
 */
export const accountTokens = authSchema.table(
  "account_tokens",
  {
    id: uuid("id").primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    purpose: accountTokenPurposeEnum("purpose").notNull(),
    /** base64url of SHA-256 of the 32 random bytes mailed in the link. */
    tokenHash: text("token_hash").notNull(),
    /** For `change_email`: the address that becomes the account's when the link is followed. */
    newEmail: text("new_email"),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex("account_tokens_token_hash_key").on(table.tokenHash),
    // Issuing a token voids the user's older unused ones of that purpose: this finds them.
    index("account_tokens_user_purpose_idx").on(table.userId, table.purpose),
    check(
      "account_tokens_new_email_only_for_change",
      sql`(${table.purpose} = 'change_email') = (${table.newEmail} is not null)`,
    ),
  ],
);

/**
 * Integrators' API keys (docs/integrators.md). Only the SHA-256 of each secret is kept; the key is
 * shown once, when it is made or rotated. A rotated key's previous secret keeps working until
 * `previous_valid_until`. Revoked keys stay, for the record of who made what; they never work again.
 */
export const apiKeys = authSchema.table(
  "api_keys",
  {
    id: uuid("id").primaryKey(),
    name: text("name").notNull(),
    /** The admin who made the key: it acts for them, with their roles as they are when it is used. */
    ownerId: uuid("owner_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    scopes: text("scopes").array().notNull(),
    /** base64url of SHA-256 of the secret part of the key. */
    secretHash: text("secret_hash").notNull(),
    previousSecretHash: text("previous_secret_hash"),
    previousValidUntil: timestamp("previous_valid_until", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    rotatedAt: timestamp("rotated_at", { withTimezone: true }),
    /** Written at most once a minute per key, so a busy integration does not write on every request. */
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (table) => [
    index("api_keys_owner_idx").on(table.ownerId),
    check("api_keys_has_scope", sql`cardinality(${table.scopes}) > 0`),
    check(
      "api_keys_previous_secret_has_end",
      sql`(${table.previousSecretHash} is null) = (${table.previousValidUntil} is null)`,
    ),
  ],
);

export const outbox = outboxTable(authSchema);
