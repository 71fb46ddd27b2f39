import { eq } from 'drizzle-orm';
import { accessLog, accessLogHead } from '../db/governanceTables.js';
import type { FirmDb } from '../db/firmDb.js';
import type { AccessLogContent } from './canonicalEntry.js';
import { hashEntry } from './hashEntry.js';
import type { ChainedEntry } from './verifyChain.js';

/** An entry to append: its content without the position, which the chain assigns. */
export type NewAccessLogEntry = Omit<AccessLogContent, 'seq'>;

/** The head row's id (migration 0001 inserts it with seq 0 and the genesis hash). */
export const HEAD_ID = 1;

/**
 * Appends one entry to the firm's access log in one transaction: locks the head row
 * (`SELECT ... FOR UPDATE`), takes the next seq and links to the head's hash, inserts the
 * entry and moves the head. Concurrent appends queue on the head's lock, so the chain
 * never forks (and `seq` is the primary key besides). Resolves once committed.
 * @example const entry = await appendEntry(db, { at: new Date(), callerFirm: 'skyframe', ... });
 */
export async function appendEntry(db: FirmDb, content: NewAccessLogEntry): Promise<ChainedEntry> {
  return db.transaction(async (tx) => {
    const [head] = await tx.select().from(accessLogHead).where(eq(accessLogHead.id, HEAD_ID)).for('update');
    if (!head) throw new Error('The access log head (access_log_head, id 1) is missing: the database was not migrated or was tampered with.');
    const entry: AccessLogContent = {
      ...content,
      seq: head.seq + 1,
      roles: [...content.roles],
      reads: content.reads.map((r) => ({ type: r.type, fields: [...r.fields], rows: r.rows, rules: [...r.rules] })),
      deniedFields: [...content.deniedFields],
    };
    const hash = hashEntry(head.hash, entry);
    const stored: ChainedEntry = { ...entry, prevHash: head.hash, hash };
    await tx.insert(accessLog).values({ ...stored, roles: [...entry.roles], reads: [...entry.reads], deniedFields: [...entry.deniedFields] });
    await tx.update(accessLogHead).set({ seq: entry.seq, hash }).where(eq(accessLogHead.id, HEAD_ID));
    return stored;
  });
}
