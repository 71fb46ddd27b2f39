import { existingKeys } from '../data/existingKeys.js';
import type { FirmContext } from '../firmContext.js';
import { ownerRoleOnly, WRITE_ROLE } from '../ownerRole.js';
import { recordReceipt, type ReceiptInput, type ReceiptResultView } from '../receipts/recordReceipt.js';
import { commitWrite } from './commitWrite.js';
import { tableChangeView, type TableChangeView } from './tableChangeView.js';
import { validateWrite, type RawRows } from './validateWrite.js';
import { writeRefusal } from './writeRefusal.js';

interface WriteRowsArgs {
  firmId: string;
  upsert?: RawRows | null;
  delete?: RawRows | null;
}

interface RecordReceiptArgs {
  firmId: string;
  input: ReceiptInput;
}

/** The schema's `WriteResult`. */
export interface WriteResultView {
  seq: number;
  changes: TableChangeView[];
}

/**
 * The write API (docs/write-api.md): `writeRows` and `recordReceipt`, for the owner's own
 * users with the {@link WRITE_ROLE} role only (declared once, `ownerRoleOnly`: another firm's
 * token is FORBIDDEN whatever its policy grants, a `firmId` of another firm OWNER_MISMATCH).
 * A write is checked whole before anything is written (validateWrite: the data-format core's
 * rules and reasons), then applied with its write log entry in one transaction. Its answer
 * carries no governed data (counts, keys, the entry's seq): the access log records reads, the
 * write log records this.
 * @example mergeResolverMaps([firmResolvers, writeApiResolvers])
 */
export const writeApiResolvers = ownerRoleOnly(WRITE_ROLE, 'write its data', {
  Mutation: {
    writeRows: async (_root: unknown, args: WriteRowsArgs, ctx: FirmContext): Promise<WriteResultView> => {
      const checked = await validateWrite({ upsert: args.upsert ?? null, delete: args.delete ?? null }, ctx.firmId, (spec, keys) => existingKeys(ctx.db, spec, keys));
      if (!checked.ok) throw writeRefusal(ctx.firmId, checked.problems);
      const outcome = await commitWrite(ctx.db, checked.changes, { firmId: ctx.firmId, actor: ctx.access.caller, at: ctx.now, operation: 'writeRows', detail: null });
      return { seq: outcome.seq, changes: outcome.changes.map(tableChangeView) };
    },
    recordReceipt: (_root: unknown, args: RecordReceiptArgs, ctx: FirmContext): Promise<ReceiptResultView> => recordReceipt(ctx, args.input),
  },
});
