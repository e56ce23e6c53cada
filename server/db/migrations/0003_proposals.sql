CREATE TABLE "ip_settings" (
	"ip" text PRIMARY KEY NOT NULL,
	"support_threshold" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "proposal_contributors" (
	"proposal_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"user_name" text NOT NULL,
	"via" uuid,
	CONSTRAINT "proposal_contributors_proposal_id_user_id_pk" PRIMARY KEY("proposal_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "proposal_votes" (
	"proposal_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"value" smallint NOT NULL,
	"new_account" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "proposal_votes_proposal_id_user_id_pk" PRIMARY KEY("proposal_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "proposals" (
	"id" uuid PRIMARY KEY NOT NULL,
	"ip" text NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"plain" text NOT NULL,
	"tags" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"author_id" uuid NOT NULL,
	"author_name" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"reasons" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"supporters" integer DEFAULT 0 NOT NULL,
	"opponents" integer DEFAULT 0 NOT NULL,
	"new_account_votes" integer DEFAULT 0 NOT NULL,
	"score_top" double precision DEFAULT 0 NOT NULL,
	"score_hot" double precision DEFAULT 0 NOT NULL,
	"score_controversy" double precision DEFAULT 0 NOT NULL,
	"flags" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"duplicate_of" uuid,
	"merged_into" uuid,
	"minhash" jsonb,
	"decision" jsonb,
	"room_id" uuid,
	"at_offset_ms" integer,
	"idempotency_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "proposal_votes_time_idx" ON "proposal_votes" USING btree ("proposal_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "proposals_author_key_idx" ON "proposals" USING btree ("author_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "proposals_ip_status_idx" ON "proposals" USING btree ("ip","status");--> statement-breakpoint
CREATE INDEX "proposals_ip_top_idx" ON "proposals" USING btree ("ip","score_top");--> statement-breakpoint
CREATE INDEX "proposals_ip_hot_idx" ON "proposals" USING btree ("ip","score_hot");--> statement-breakpoint
CREATE INDEX "proposals_author_idx" ON "proposals" USING btree ("author_id","created_at");