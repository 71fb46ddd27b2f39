ALTER TABLE "quality_notification_events" ADD COLUMN "subject_firm" text;--> statement-breakpoint
ALTER TABLE "quality_notification_events" ADD COLUMN "disclose_to" jsonb;