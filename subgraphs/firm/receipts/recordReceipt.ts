import { sql } from 'drizzle-orm';
import type { LoggedChange } from '../db/governanceTables.js';
import { lotComponentReceipts } from '../db/receiptTables.js';
import { existingKeys } from '../data/existingKeys.js';
import { parseValue } from '../data/parseValue.js';
import { tableSpec } from '../data/tableSpecs.js';
import type { FirmContext } from '../firmContext.js';
import { commitWrite } from '../writeApi/commitWrite.js';
import { tableChangeView, type TableChangeView } from '../writeApi/tableChangeView.js';
import { validateWrite, type KeyOf, type RawRow } from '../writeApi/validateWrite.js';
import { writeRefusal, type InputProblem } from '../writeApi/writeRefusal.js';
import { checkReceipt } from './checkReceipt.js';
import { lookupShipment } from './gatewayQuery.js';

/** Most components one receipt writes. */
export const MAX_RECEIPT_COMPONENTS = 200;

/** A receipt as the client sent it (`ReceiptInput`). */
export interface ReceiptInput {
  supplierId?: unknown;
  shipmentId?: unknown;
  components?: readonly RawRow[] | null;
}

/** The schema's `ReceiptComponent`. */
export interface ReceiptComponentView {
  lotId: string;
  lineNo: number;
  componentFirmId: string;
  componentLotId: string;
  quantityUsed: number;
  verified: boolean;
  reason: string | null;
}

/** The schema's `ReceiptResult`. */
export interface ReceiptResultView {
  seq: number;
  supplierId: string;
  shipmentId: string;
  status: 'VERIFIED' | 'UNVERIFIED';
  components: ReceiptComponentView[];
  changes: TableChangeView[];
}

const idColumn = (table: 'lotComponents' | 'shipments', name: string) => {
  const column = tableSpec(table).columns.find((c) => c.name === name);
  if (!column) throw new Error(`recordReceipt: ${table} has no column ${name}`);
  return column;
};

/** The supplier and shipment ids, parsed as the columns they are stored in; problems otherwise. */
function receiptHeader(ctx: FirmContext, input: ReceiptInput): { supplierId: string; shipmentId: string; problems: InputProblem[] } {
  const problems: InputProblem[] = [];
  const parse = (key: string, table: 'lotComponents' | 'shipments', column: string, raw: unknown): string => {
    const parsed = parseValue(idColumn(table, column), raw);
    if (parsed.ok && typeof parsed.value === 'string') return parsed.value;
    problems.push(parsed.ok ? { key, code: 'MISSING_VALUE', reason: `missing value: ${column} is required` } : { key, code: parsed.problem.code, reason: parsed.problem.reason });
    return '';
  };
  const supplierId = parse('input.supplierId', 'lotComponents', 'componentFirmId', input.supplierId);
  const shipmentId = parse('input.shipmentId', 'shipments', 'shipmentId', input.shipmentId);
  if (supplierId === ctx.firmId) {
    problems.push({ key: 'input.supplierId', code: 'NOT_A_SUPPLIER', reason: `a receipt is of another firm's shipment: firm ${ctx.firmId}'s own lot components are written with writeRows` });
  } else if (supplierId && !ctx.directory.members.some((m) => m.id === supplierId)) {
    problems.push({ key: 'input.supplierId', code: 'UNKNOWN_FIRM', reason: `firm ${supplierId} is not a member of the cluster` });
  }
  const count = input.components?.length ?? 0;
  if (count === 0) problems.push({ key: 'input.components', code: 'MISSING_VALUE', reason: 'missing value: a receipt writes at least one component' });
  if (count > MAX_RECEIPT_COMPONENTS) {
    problems.push({ key: 'input.components', code: 'TOO_MANY_ROWS', reason: `a receipt writes at most ${MAX_RECEIPT_COMPONENTS} components, this one ${count}: split it` });
  }
  return { supplierId, shipmentId, problems };
}

/** `input.components[2].componentLotId`; the supplier (each component's componentFirmId) is `input.supplierId`. */
const receiptKeyOf: KeyOf = (_section, _table, index, column) =>
  column === 'componentFirmId' ? 'input.supplierId' : `input.components[${index}]${column ? `.${column}` : ''}`;

/**
 * Records the receipt of a supplier's shipment: the lot components it lists are checked as
 * the import checks lot components (validateWrite: the own lot must exist, line numbers,
 * quantities, duplicate lines), then the shipment is asked for through the gateway with the
 * caller's own token and checked (checkReceipt): refused when proved wrong, each component
 * verified or unverified otherwise. The components (key-only pointers at the supplier's lots),
 * what their check found (`lot_component_receipts`) and the write log entry are written in
 * one transaction. The gateway is asked before the transaction opens: no lock waits on the network.
 * @example const result = await recordReceipt(ctx, { supplierId: 'structura', shipmentId: 'structura-SH0001', components: [{ lotId: 'skyframe-L0100', lineNo: 1, componentLotId: 'structura-L0003', quantityUsed: 2 }] });
 */
export async function recordReceipt(ctx: FirmContext, input: ReceiptInput): Promise<ReceiptResultView> {
  const header = receiptHeader(ctx, input);
  if (header.problems.length > 0) throw writeRefusal(ctx.firmId, header.problems);
  const { supplierId, shipmentId } = header;
  const rows = (input.components ?? []).map((c) => ({ ...c, componentFirmId: supplierId }));
  const checked = await validateWrite({ upsert: { lotComponents: rows } }, ctx.firmId, (spec, keys) => existingKeys(ctx.db, spec, keys), receiptKeyOf);
  if (!checked.ok) throw writeRefusal(ctx.firmId, checked.problems);
  const components = checked.changes.upserts?.lotComponents ?? [];

  const view = await lookupShipment(ctx.gateway, supplierId, shipmentId);
  const check = checkReceipt(view, { firmId: ctx.firmId, supplierId, shipmentId, componentLotIds: components.map((c) => String(c.componentLotId)) });
  if (check.kind === 'refused') throw writeRefusal(ctx.firmId, check.problems);

  const answered: ReceiptComponentView[] = components.map((c, i) => ({
    lotId: String(c.lotId),
    lineNo: Number(c.lineNo),
    componentFirmId: supplierId,
    componentLotId: String(c.componentLotId),
    quantityUsed: Number(c.quantityUsed),
    verified: check.components[i]?.verified ?? false,
    reason: check.components[i]?.reason ?? null,
  }));
  const verified = answered.filter((c) => c.verified).length;
  const receipts: LoggedChange = { table: 'lotComponentReceipts', upserted: answered.length, deleted: 0, keys: answered.slice(0, 100).map((c) => `${c.lotId}/${c.lineNo}`), ...(answered.length > 100 ? { truncated: true } : {}) };
  const outcome = await commitWrite(
    ctx.db,
    checked.changes,
    {
      firmId: ctx.firmId,
      actor: ctx.access.caller,
      at: ctx.now,
      operation: 'recordReceipt',
      detail: `shipment ${shipmentId} of ${supplierId}: ${verified} of ${answered.length} component(s) verified`,
    },
    {
      changes: [receipts],
      write: async (tx, seq) => {
        await tx
          .insert(lotComponentReceipts)
          .values(answered.map((c) => ({ firmId: ctx.firmId, lotId: c.lotId, lineNo: c.lineNo, supplierId, shipmentId, componentLotId: c.componentLotId, verified: c.verified, reason: c.reason, recordedAt: ctx.now, writeSeq: seq })))
          .onConflictDoUpdate({
            target: [lotComponentReceipts.lotId, lotComponentReceipts.lineNo],
            set: {
              supplierId: sql`excluded.supplier_id`,
              shipmentId: sql`excluded.shipment_id`,
              componentLotId: sql`excluded.component_lot_id`,
              verified: sql`excluded.verified`,
              reason: sql`excluded.reason`,
              recordedAt: sql`excluded.recorded_at`,
              writeSeq: sql`excluded.write_seq`,
            },
          });
      },
    },
  );
  return {
    seq: outcome.seq,
    supplierId,
    shipmentId,
    status: verified === answered.length ? 'VERIFIED' : 'UNVERIFIED',
    components: answered,
    changes: outcome.changes.map(tableChangeView),
  };
}
