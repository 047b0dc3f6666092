CREATE TYPE "auth"."account_token_purpose" AS ENUM('verify_email', 'reset_password', 'change_email');--> statement-breakpoint
CREATE TABLE "auth"."account_tokens" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"purpose" "auth"."account_token_purpose" NOT NULL,
	"token_hash" text NOT NULL,
	"new_email" text,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "account_tokens_new_email_only_for_change" CHECK (("auth"."account_tokens"."purpose" = 'change_email') = ("auth"."account_tokens"."new_email" is not null))
);
--> statement-breakpoint
ALTER TABLE "auth"."account_tokens" ADD CONSTRAINT "account_tokens_user_id_accounts_id_fk" FOREIGN KEY ("user_id") REFERENCES "auth"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "account_tokens_token_hash_key" ON "auth"."account_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "account_tokens_user_purpose_idx" ON "auth"."account_tokens" USING btree ("user_id","purpose");