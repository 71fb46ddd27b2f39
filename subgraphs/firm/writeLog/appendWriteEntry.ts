import type { FirmDb } from '../db/firmDb.js';
import { appendLocked } from '../hashChain/storedChain.js';
import { WRITE_LOG_CHAIN } from './writeLogChain.js';
import type { NewWriteLogEntry, WriteLogContent, WriteLogEntry } from './writeLogEntry.js';

/**
 * Records a write to the firm's own data in its hash-chained write log, INSIDE the write's
 * own transaction: the entry commits with the rows it describes, or neither does. The head
 * row is locked until the commit, so concurrent writes (in this process or in others on the
 * same database) are chained one after another and the chain never forks. Returns the entry
 * as stored (its `seq` is what the write API answers). MUST be called with the transaction
 * (`tx`) that writes the rows.
 * @example
 * const entry = await db.transaction(async (tx) => {
 *   const changes = await writeTheRows(tx, ...); // LoggedChange[]
 *   return appendWriteEntry(tx, { at: now, actorFirm: 'skyframe', actorSubject: 'erp@skyframe', roles: ['integration'], operation: 'writeRows', detail: null, changes });
 * });
 * entry.seq; // 1, 2, ...
 */
export async function appendWriteEntry(tx: FirmDb, content: NewWriteLogEntry): Promise<WriteLogEntry> {
  const copy: Omit<WriteLogContent, 'seq'> = {
    ...content,
    roles: [...content.roles],
    changes: content.changes.map((c) => ({ ...c, keys: [...c.keys] })),
  };
  const [entry] = await appendLocked(tx, WRITE_LOG_CHAIN, [copy]);
  if (!entry) throw new Error('the write log entry was not appended');
  return entry;
}
