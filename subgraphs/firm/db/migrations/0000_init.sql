CREATE TABLE "bom_lines" (
	"firm_id" text NOT NULL,
	"part_id" text NOT NULL,
	"line_no" integer NOT NULL,
	"component_firm_id" text NOT NULL,
	"component_part_id" text NOT NULL,
	"quantity_per" double precision NOT NULL,
	"uom" text NOT NULL,
	CONSTRAINT "bom_lines_part_id_line_no_pk" PRIMARY KEY("part_id","line_no")
);
--> statement-breakpoint
CREATE TABLE "inventory_positions" (
	"firm_id" text NOT NULL,
	"position_id" text PRIMARY KEY NOT NULL,
	"part_id" text NOT NULL,
	"site" text NOT NULL,
	"on_hand" double precision NOT NULL,
	"allocated" double precision NOT NULL,
	"blocked" double precision NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "lot_components" (
	"firm_id" text NOT NULL,
	"lot_id" text NOT NULL,
	"line_no" integer NOT NULL,
	"component_firm_id" text NOT NULL,
	"component_lot_id" text NOT NULL,
	"quantity_used" double precision NOT NULL,
	CONSTRAINT "lot_components_lot_id_line_no_pk" PRIMARY KEY("lot_id","line_no")
);
--> statement-breakpoint
CREATE TABLE "lots" (
	"firm_id" text NOT NULL,
	"lot_id" text PRIMARY KEY NOT NULL,
	"part_id" text NOT NULL,
	"quantity" double precision NOT NULL,
	"uom" text NOT NULL,
	"produced_at" timestamp with time zone NOT NULL,
	"status" text NOT NULL,
	"run_id" text
);
--> statement-breakpoint
CREATE TABLE "order_confirmations" (
	"firm_id" text NOT NULL,
	"confirmation_id" text PRIMARY KEY NOT NULL,
	"buyer_id" text NOT NULL,
	"order_id" text NOT NULL,
	"line_no" integer NOT NULL,
	"confirmed_quantity" double precision NOT NULL,
	"promised_date" date NOT NULL,
	"status" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "parts" (
	"firm_id" text NOT NULL,
	"part_id" text PRIMARY KEY NOT NULL,
	"part_number" text NOT NULL,
	"name" text NOT NULL,
	"category" text NOT NULL,
	"uom" text NOT NULL,
	"unit_cost" double precision NOT NULL
);
--> statement-breakpoint
CREATE TABLE "production_runs" (
	"firm_id" text NOT NULL,
	"run_id" text PRIMARY KEY NOT NULL,
	"part_id" text NOT NULL,
	"line" text NOT NULL,
	"planned_quantity" double precision NOT NULL,
	"done_quantity" double precision NOT NULL,
	"status" text NOT NULL,
	"planned_start" timestamp with time zone NOT NULL,
	"planned_end" timestamp with time zone NOT NULL,
	"lot_id" text
);
--> statement-breakpoint
CREATE TABLE "purchase_order_lines" (
	"firm_id" text NOT NULL,
	"order_id" text NOT NULL,
	"line_no" integer NOT NULL,
	"part_firm_id" text NOT NULL,
	"part_id" text NOT NULL,
	"quantity" double precision NOT NULL,
	"unit_price" double precision NOT NULL,
	"requested_date" date NOT NULL,
	CONSTRAINT "purchase_order_lines_order_id_line_no_pk" PRIMARY KEY("order_id","line_no")
);
--> statement-breakpoint
CREATE TABLE "purchase_orders" (
	"firm_id" text NOT NULL,
	"order_id" text PRIMARY KEY NOT NULL,
	"supplier_id" text NOT NULL,
	"placed_at" timestamp with time zone NOT NULL,
	"status" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "quality_inspections" (
	"firm_id" text NOT NULL,
	"inspection_id" text PRIMARY KEY NOT NULL,
	"lot_id" text NOT NULL,
	"characteristic" text NOT NULL,
	"value" double precision NOT NULL,
	"lower_limit" double precision NOT NULL,
	"upper_limit" double precision NOT NULL,
	"unit" text NOT NULL,
	"result" text NOT NULL,
	"inspected_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sensor_anomalies" (
	"firm_id" text NOT NULL,
	"anomaly_id" text PRIMARY KEY NOT NULL,
	"machine_id" text NOT NULL,
	"metric" text NOT NULL,
	"value" double precision NOT NULL,
	"threshold" double precision NOT NULL,
	"detected_at" timestamp with time zone NOT NULL,
	"severity" text NOT NULL,
	"run_id" text
);
--> statement-breakpoint
CREATE TABLE "shipment_lots" (
	"firm_id" text NOT NULL,
	"shipment_id" text NOT NULL,
	"lot_id" text NOT NULL,
	"quantity" double precision NOT NULL,
	CONSTRAINT "shipment_lots_shipment_id_lot_id_pk" PRIMARY KEY("shipment_id","lot_id")
);
--> statement-breakpoint
CREATE TABLE "shipments" (
	"firm_id" text NOT NULL,
	"shipment_id" text PRIMARY KEY NOT NULL,
	"customer_id" text NOT NULL,
	"order_id" text,
	"shipped_at" timestamp with time zone NOT NULL,
	"eta" timestamp with time zone NOT NULL,
	"delivered_at" timestamp with time zone,
	"status" text NOT NULL,
	"carrier" text NOT NULL
);
--> statement-breakpoint
CREATE INDEX "bom_lines_component_idx" ON "bom_lines" USING btree ("component_firm_id","component_part_id");--> statement-breakpoint
CREATE INDEX "inventory_positions_part_id_idx" ON "inventory_positions" USING btree ("part_id");--> statement-breakpoint
CREATE INDEX "lot_components_component_idx" ON "lot_components" USING btree ("component_firm_id","component_lot_id");--> statement-breakpoint
CREATE INDEX "lots_part_id_idx" ON "lots" USING btree ("part_id");--> statement-breakpoint
CREATE INDEX "lots_status_idx" ON "lots" USING btree ("status");--> statement-breakpoint
CREATE INDEX "lots_run_id_idx" ON "lots" USING btree ("run_id");--> statement-breakpoint
CREATE INDEX "order_confirmations_order_idx" ON "order_confirmations" USING btree ("buyer_id","order_id");--> statement-breakpoint
CREATE INDEX "parts_category_idx" ON "parts" USING btree ("category");--> statement-breakpoint
CREATE INDEX "production_runs_part_id_idx" ON "production_runs" USING btree ("part_id");--> statement-breakpoint
CREATE INDEX "production_runs_status_idx" ON "production_runs" USING btree ("status");--> statement-breakpoint
CREATE INDEX "production_runs_lot_id_idx" ON "production_runs" USING btree ("lot_id");--> statement-breakpoint
CREATE INDEX "purchase_orders_supplier_id_idx" ON "purchase_orders" USING btree ("supplier_id");--> statement-breakpoint
CREATE INDEX "purchase_orders_status_idx" ON "purchase_orders" USING btree ("status");--> statement-breakpoint
CREATE INDEX "quality_inspections_lot_id_idx" ON "quality_inspections" USING btree ("lot_id");--> statement-breakpoint
CREATE INDEX "quality_inspections_result_idx" ON "quality_inspections" USING btree ("result");--> statement-breakpoint
CREATE INDEX "sensor_anomalies_run_id_idx" ON "sensor_anomalies" USING btree ("run_id");--> statement-breakpoint
CREATE INDEX "sensor_anomalies_severity_idx" ON "sensor_anomalies" USING btree ("severity");--> statement-breakpoint
CREATE INDEX "shipment_lots_lot_id_idx" ON "shipment_lots" USING btree ("lot_id");--> statement-breakpoint
CREATE INDEX "shipments_customer_order_idx" ON "shipments" USING btree ("customer_id","order_id");--> statement-breakpoint
CREATE INDEX "shipments_status_idx" ON "shipments" USING btree ("status");