CREATE TABLE "write_log" (
	"seq" integer PRIMARY KEY NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor_firm" text NOT NULL,
	"actor_subject" text NOT NULL,
	"roles" jsonb NOT NULL,
	"operation" text NOT NULL,
	"detail" text,
	"changes" jsonb NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "write_log_head" (
	"id" integer PRIMARY KEY NOT NULL,
	"seq" integer NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
CREATE INDEX "write_log_at_idx" ON "write_log" USING btree ("at");