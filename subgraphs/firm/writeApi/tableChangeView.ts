import type { LoggedChange } from '../db/governanceTables.js';

/** A {@link LoggedChange} as the schema's `TableChange`. */
export interface TableChangeView {
  table: string;
  upserted: number;
  deleted: number;
  keys: string[];
  truncated: boolean;
}

/**
 * What changed of one table, as the write API and the write log answer it.
 * @example tableChangeView({ table: 'lots', upserted: 2, deleted: 0, keys: ['L1', 'L2'] }) // { ..., truncated: false }
 */
export function tableChangeView(change: LoggedChange): TableChangeView {
  return { table: change.table, upserted: change.upserted, deleted: change.deleted, keys: [...change.keys], truncated: change.truncated === true };
}
