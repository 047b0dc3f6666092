CREATE TABLE "auth"."api_keys" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"owner_id" uuid NOT NULL,
	"scopes" text[] NOT NULL,
	"secret_hash" text NOT NULL,
	"previous_secret_hash" text,
	"previous_valid_until" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"rotated_at" timestamp with time zone,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "api_keys_has_scope" CHECK (cardinality("auth"."api_keys"."scopes") > 0),
	CONSTRAINT "api_keys_previous_secret_has_end" CHECK (("auth"."api_keys"."previous_secret_hash" is null) = ("auth"."api_keys"."previous_valid_until" is null))
);
--> statement-breakpoint
ALTER TABLE "auth"."api_keys" ADD CONSTRAINT "api_keys_owner_id_accounts_id_fk" FOREIGN KEY ("owner_id") REFERENCES "auth"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "api_keys_owner_idx" ON "auth"."api_keys" USING btree ("owner_id");