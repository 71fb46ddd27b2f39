CREATE TABLE "quality_notification_events" (
	"event_id" text PRIMARY KEY NOT NULL,
	"notification_id" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"origin" text NOT NULL,
	"type" text NOT NULL,
	"actor_firm" text NOT NULL,
	"actor_subject" text,
	"from_status" text,
	"to_status" text NOT NULL,
	"reason" text,
	"hops" integer,
	"delivered_at" timestamp with time zone,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone,
	"last_error" text,
	CONSTRAINT "quality_notification_events_type_check" CHECK ("quality_notification_events"."type" in ('TRANSITION', 'PROGRESS')),
	CONSTRAINT "quality_notification_events_to_check" CHECK ("quality_notification_events"."to_status" in ('CREATED', 'SENT', 'RECEIVED', 'ACKNOWLEDGED', 'ACCEPTED', 'DECLINED', 'CLOSED', 'CANCELED'))
);
--> statement-breakpoint
CREATE TABLE "quality_notification_lots" (
	"notification_id" text NOT NULL,
	"line_no" integer NOT NULL,
	"lot_firm_id" text NOT NULL,
	"lot_id" text NOT NULL,
	CONSTRAINT "quality_notification_lots_notification_id_line_no_pk" PRIMARY KEY("notification_id","line_no")
);
--> statement-breakpoint
CREATE TABLE "quality_notifications" (
	"firm_id" text NOT NULL,
	"notification_id" text PRIMARY KEY NOT NULL,
	"side" text NOT NULL,
	"kind" text NOT NULL,
	"sender_id" text NOT NULL,
	"receiver_id" text NOT NULL,
	"title" text NOT NULL,
	"description" text NOT NULL,
	"severity" text NOT NULL,
	"target_date" text,
	"status" text NOT NULL,
	"parent_id" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "quality_notifications_side_check" CHECK ("quality_notifications"."side" in ('OUTBOX', 'INBOX')),
	CONSTRAINT "quality_notifications_kind_check" CHECK ("quality_notifications"."kind" in ('INVESTIGATION', 'ALERT')),
	CONSTRAINT "quality_notifications_severity_check" CHECK ("quality_notifications"."severity" in ('MINOR', 'MAJOR', 'CRITICAL', 'LIFE_THREATENING')),
	CONSTRAINT "quality_notifications_status_check" CHECK ("quality_notifications"."status" in ('CREATED', 'SENT', 'RECEIVED', 'ACKNOWLEDGED', 'ACCEPTED', 'DECLINED', 'CLOSED', 'CANCELED'))
);
--> statement-breakpoint
ALTER TABLE "quality_notification_events" ADD CONSTRAINT "quality_notification_events_fk" FOREIGN KEY ("notification_id") REFERENCES "public"."quality_notifications"("notification_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quality_notification_lots" ADD CONSTRAINT "quality_notification_lots_fk" FOREIGN KEY ("notification_id") REFERENCES "public"."quality_notifications"("notification_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "quality_notification_events_notification_idx" ON "quality_notification_events" USING btree ("notification_id","at");--> statement-breakpoint
CREATE INDEX "quality_notification_events_pending_idx" ON "quality_notification_events" USING btree ("origin","delivered_at");--> statement-breakpoint
CREATE INDEX "quality_notifications_side_status_idx" ON "quality_notifications" USING btree ("side","status");--> statement-breakpoint
CREATE INDEX "quality_notifications_parent_idx" ON "quality_notifications" USING btree ("parent_id");