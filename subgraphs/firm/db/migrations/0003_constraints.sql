-- The database defends itself (issue 9): a CHECK per enum column and a foreign key per in-firm
-- pointer. Every column the model requires is NOT NULL since 0000. An existing database may hold
-- rows that break them, so each is added NOT VALID (it holds at once for every row written from now
-- on) and then validated where the existing rows allow: a constraint that some old row breaks stays
-- NOT VALID (pg_constraint.convalidated = false; the firm names it at start), and the read side
-- refuses such a row's bad value with STORED_VALUE_INVALID instead of an internal error.
-- Foreign keys are DEFERRABLE INITIALLY DEFERRED: checked at commit, so one transaction may write a
-- lot and the run that produced it (which point at each other) in either order.
ALTER TABLE "bom_lines" ADD CONSTRAINT "bom_lines_part_fk" FOREIGN KEY ("part_id") REFERENCES "public"."parts"("part_id") DEFERRABLE INITIALLY DEFERRED NOT VALID;
--> statement-breakpoint
ALTER TABLE "inventory_positions" ADD CONSTRAINT "inventory_positions_part_fk" FOREIGN KEY ("part_id") REFERENCES "public"."parts"("part_id") DEFERRABLE INITIALLY DEFERRED NOT VALID;
--> statement-breakpoint
ALTER TABLE "lot_components" ADD CONSTRAINT "lot_components_lot_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."lots"("lot_id") DEFERRABLE INITIALLY DEFERRED NOT VALID;
--> statement-breakpoint
ALTER TABLE "lots" ADD CONSTRAINT "lots_part_fk" FOREIGN KEY ("part_id") REFERENCES "public"."parts"("part_id") DEFERRABLE INITIALLY DEFERRED NOT VALID;
--> statement-breakpoint
ALTER TABLE "lots" ADD CONSTRAINT "lots_run_fk" FOREIGN KEY ("run_id") REFERENCES "public"."production_runs"("run_id") DEFERRABLE INITIALLY DEFERRED NOT VALID;
--> statement-breakpoint
ALTER TABLE "production_runs" ADD CONSTRAINT "production_runs_part_fk" FOREIGN KEY ("part_id") REFERENCES "public"."parts"("part_id") DEFERRABLE INITIALLY DEFERRED NOT VALID;
--> statement-breakpoint
ALTER TABLE "production_runs" ADD CONSTRAINT "production_runs_lot_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."lots"("lot_id") DEFERRABLE INITIALLY DEFERRED NOT VALID;
--> statement-breakpoint
ALTER TABLE "purchase_order_lines" ADD CONSTRAINT "purchase_order_lines_order_fk" FOREIGN KEY ("order_id") REFERENCES "public"."purchase_orders"("order_id") DEFERRABLE INITIALLY DEFERRED NOT VALID;
--> statement-breakpoint
ALTER TABLE "quality_inspections" ADD CONSTRAINT "quality_inspections_lot_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."lots"("lot_id") DEFERRABLE INITIALLY DEFERRED NOT VALID;
--> statement-breakpoint
ALTER TABLE "sensor_anomalies" ADD CONSTRAINT "sensor_anomalies_run_fk" FOREIGN KEY ("run_id") REFERENCES "public"."production_runs"("run_id") DEFERRABLE INITIALLY DEFERRED NOT VALID;
--> statement-breakpoint
ALTER TABLE "shipment_lots" ADD CONSTRAINT "shipment_lots_shipment_fk" FOREIGN KEY ("shipment_id") REFERENCES "public"."shipments"("shipment_id") DEFERRABLE INITIALLY DEFERRED NOT VALID;
--> statement-breakpoint
ALTER TABLE "shipment_lots" ADD CONSTRAINT "shipment_lots_lot_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."lots"("lot_id") DEFERRABLE INITIALLY DEFERRED NOT VALID;
--> statement-breakpoint
ALTER TABLE "lots" ADD CONSTRAINT "lots_status_check" CHECK ("lots"."status" in ('RELEASED', 'QUARANTINED', 'CONSUMED', 'SHIPPED', 'SCRAPPED')) NOT VALID;
--> statement-breakpoint
ALTER TABLE "order_confirmations" ADD CONSTRAINT "order_confirmations_status_check" CHECK ("order_confirmations"."status" in ('ACCEPTED', 'REVISED', 'REJECTED')) NOT VALID;
--> statement-breakpoint
ALTER TABLE "production_runs" ADD CONSTRAINT "production_runs_status_check" CHECK ("production_runs"."status" in ('PLANNED', 'RUNNING', 'HELD', 'DONE')) NOT VALID;
--> statement-breakpoint
ALTER TABLE "purchase_orders" ADD CONSTRAINT "purchase_orders_status_check" CHECK ("purchase_orders"."status" in ('OPEN', 'CONFIRMED', 'PARTIALLY_DELIVERED', 'DELIVERED', 'CANCELLED')) NOT VALID;
--> statement-breakpoint
ALTER TABLE "quality_inspections" ADD CONSTRAINT "quality_inspections_result_check" CHECK ("quality_inspections"."result" in ('PASS', 'FAIL')) NOT VALID;
--> statement-breakpoint
ALTER TABLE "sensor_anomalies" ADD CONSTRAINT "sensor_anomalies_severity_check" CHECK ("sensor_anomalies"."severity" in ('LOW', 'MEDIUM', 'HIGH')) NOT VALID;
--> statement-breakpoint
ALTER TABLE "shipments" ADD CONSTRAINT "shipments_status_check" CHECK ("shipments"."status" in ('PLANNED', 'IN_TRANSIT', 'DELAYED', 'DELIVERED')) NOT VALID;
--> statement-breakpoint
ALTER TABLE "access_requests" ADD CONSTRAINT "access_requests_state_check" CHECK ("access_requests"."state" in ('PENDING', 'GRANTED', 'REJECTED')) NOT VALID;
--> statement-breakpoint
ALTER TABLE "agreements" ADD CONSTRAINT "agreements_state_check" CHECK ("agreements"."state" in ('ACTIVE', 'REVOKED', 'ENDED')) NOT VALID;
--> statement-breakpoint
DO $$
DECLARE
  c record;
BEGIN
  FOR c IN SELECT conrelid::regclass::text AS tbl, conname::text AS name FROM pg_constraint
    WHERE NOT convalidated AND conname IN ('bom_lines_part_fk', 'inventory_positions_part_fk', 'lot_components_lot_fk', 'lots_part_fk', 'lots_run_fk', 'production_runs_part_fk', 'production_runs_lot_fk', 'purchase_order_lines_order_fk', 'quality_inspections_lot_fk', 'sensor_anomalies_run_fk', 'shipment_lots_shipment_fk', 'shipment_lots_lot_fk', 'lots_status_check', 'order_confirmations_status_check', 'production_runs_status_check', 'purchase_orders_status_check', 'quality_inspections_result_check', 'sensor_anomalies_severity_check', 'shipments_status_check', 'access_requests_state_check', 'agreements_state_check')
  LOOP
    BEGIN
      EXECUTE format('ALTER TABLE %s VALIDATE CONSTRAINT %I', c.tbl, c.name);
    EXCEPTION WHEN check_violation OR foreign_key_violation THEN
      RAISE NOTICE 'constraint % of % left NOT VALID: some existing rows break it', c.name, c.tbl;
    END;
  END LOOP;
END $$;
