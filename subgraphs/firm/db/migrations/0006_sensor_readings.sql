-- Sensor time series (sensor_readings, indexed by machine, metric and time for SPC detection,
-- docs/spc.md) and what an SPC signal records on a sensor anomaly (its method and rule). The run
-- foreign key is DEFERRABLE INITIALLY DEFERRED like those of 0003: checked at commit.
CREATE TABLE "sensor_readings" (
	"firm_id" text NOT NULL,
	"reading_id" text PRIMARY KEY NOT NULL,
	"machine_id" text NOT NULL,
	"metric" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"value" double precision NOT NULL,
	"unit" text,
	"run_id" text
);
--> statement-breakpoint
ALTER TABLE "sensor_anomalies" ADD COLUMN "method" text;--> statement-breakpoint
ALTER TABLE "sensor_anomalies" ADD COLUMN "rule" text;--> statement-breakpoint
ALTER TABLE "sensor_readings" ADD CONSTRAINT "sensor_readings_run_fk" FOREIGN KEY ("run_id") REFERENCES "public"."production_runs"("run_id") DEFERRABLE INITIALLY DEFERRED;--> statement-breakpoint
CREATE INDEX "sensor_readings_series_idx" ON "sensor_readings" USING btree ("machine_id","metric","at");--> statement-breakpoint
CREATE INDEX "sensor_readings_run_id_idx" ON "sensor_readings" USING btree ("run_id");--> statement-breakpoint
ALTER TABLE "sensor_anomalies" ADD CONSTRAINT "sensor_anomalies_method_check" CHECK ("sensor_anomalies"."method" in ('EWMA', 'CUSUM', 'WESTERN_ELECTRIC'));