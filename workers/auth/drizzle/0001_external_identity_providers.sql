CREATE TABLE "auth"."external_identities" (
	"provider_id" uuid NOT NULL,
	"subject" text NOT NULL,
	"user_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "external_identities_provider_id_subject_pk" PRIMARY KEY("provider_id","subject")
);
--> statement-breakpoint
CREATE TABLE "auth"."oidc_providers" (
	"id" uuid PRIMARY KEY NOT NULL,
	"slug" text NOT NULL,
	"issuer" text NOT NULL,
	"client_id" text NOT NULL,
	"client_secret" text,
	"audience" text NOT NULL,
	"role_claim" text DEFAULT 'realm_access.roles' NOT NULL,
	"role_map" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "auth"."external_identities" ADD CONSTRAINT "external_identities_provider_id_oidc_providers_id_fk" FOREIGN KEY ("provider_id") REFERENCES "auth"."oidc_providers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "auth"."external_identities" ADD CONSTRAINT "external_identities_user_id_accounts_id_fk" FOREIGN KEY ("user_id") REFERENCES "auth"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "oidc_providers_slug_key" ON "auth"."oidc_providers" USING btree ("slug");--> statement-breakpoint
CREATE UNIQUE INDEX "oidc_providers_issuer_key" ON "auth"."oidc_providers" USING btree ("issuer");