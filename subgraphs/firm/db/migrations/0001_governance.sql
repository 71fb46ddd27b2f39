CREATE TABLE "access_log" (
	"seq" integer PRIMARY KEY NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"caller_firm" text NOT NULL,
	"caller_subject" text NOT NULL,
	"roles" jsonb NOT NULL,
	"purpose" text,
	"operation_name" text,
	"operation_hash" text NOT NULL,
	"reads" jsonb NOT NULL,
	"denied_fields" jsonb NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "access_log_head" (
	"id" integer PRIMARY KEY NOT NULL,
	"seq" integer NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "access_requests" (
	"request_id" text PRIMARY KEY NOT NULL,
	"requester_id" text NOT NULL,
	"requested_by" text NOT NULL,
	"types" jsonb NOT NULL,
	"fields" jsonb NOT NULL,
	"purpose" text NOT NULL,
	"days" integer NOT NULL,
	"note" text,
	"state" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"decided_at" timestamp with time zone,
	"decided_by" text,
	"decision_note" text,
	"agreement_id" text
);
--> statement-breakpoint
CREATE TABLE "agreements" (
	"agreement_id" text PRIMARY KEY NOT NULL,
	"request_id" text,
	"holder_id" text NOT NULL,
	"types" jsonb NOT NULL,
	"fields" jsonb NOT NULL,
	"purpose" text NOT NULL,
	"valid_from" timestamp with time zone NOT NULL,
	"valid_until" timestamp with time zone NOT NULL,
	"state" text NOT NULL,
	"granted_by" text NOT NULL,
	"revoked_at" timestamp with time zone,
	"revoked_by" text
);
--> statement-breakpoint
CREATE INDEX "access_log_caller_idx" ON "access_log" USING btree ("caller_firm","at");--> statement-breakpoint
CREATE INDEX "access_log_at_idx" ON "access_log" USING btree ("at");--> statement-breakpoint
CREATE INDEX "access_requests_requester_idx" ON "access_requests" USING btree ("requester_id");--> statement-breakpoint
CREATE INDEX "access_requests_state_idx" ON "access_requests" USING btree ("state");--> statement-breakpoint
CREATE INDEX "agreements_holder_idx" ON "agreements" USING btree ("holder_id","state");--> statement-breakpoint
INSERT INTO "access_log_head" ("id", "seq", "hash") VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
