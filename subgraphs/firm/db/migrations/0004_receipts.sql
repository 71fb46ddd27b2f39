-- Receipts of suppliers' shipments (the write API's recordReceipt): what the check of each lot component
-- found, apart from lot_components so that no import or writeRows can claim a verification; and the
-- write log's chain head at genesis (0002 created the table without its row).
CREATE TABLE "lot_component_receipts" (
	"firm_id" text NOT NULL,
	"lot_id" text NOT NULL,
	"line_no" integer NOT NULL,
	"supplier_id" text NOT NULL,
	"shipment_id" text NOT NULL,
	"component_lot_id" text NOT NULL,
	"verified" boolean NOT NULL,
	"reason" text,
	"recorded_at" timestamp with time zone NOT NULL,
	"write_seq" integer NOT NULL,
	CONSTRAINT "lot_component_receipts_lot_id_line_no_pk" PRIMARY KEY("lot_id","line_no")
);
--> statement-breakpoint
ALTER TABLE "lot_component_receipts" ADD CONSTRAINT "lot_component_receipts_component_fk" FOREIGN KEY ("lot_id","line_no") REFERENCES "public"."lot_components"("lot_id","line_no") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
INSERT INTO "write_log_head" ("id", "seq", "hash") VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000') ON CONFLICT ("id") DO NOTHING;
