CREATE TABLE "events"."integrators" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"public_key" jsonb NOT NULL,
	"event_types" text[] NOT NULL,
	"scope" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"disabled_at" timestamp with time zone,
	CONSTRAINT "integrators_name_unique" UNIQUE("name")
);
