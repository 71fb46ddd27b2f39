import { eq, sql } from 'drizzle-orm';
import { accessLog, accessLogHead } from '../db/governanceTables.js';
import type { FirmDb } from '../db/firmDb.js';
import { rowsOf } from '../db/rowsOf.js';
import type { AccessLogContent } from './canonicalEntry.js';
import { hashEntry } from './hashEntry.js';
import type { ChainedEntry } from './verifyChain.js';

/** An entry to append: its content without the position, which the chain assigns. */
export type NewAccessLogEntry = Omit<AccessLogContent, 'seq'>;

/** The head row's id (migration 0001 inserts it with seq 0 and the genesis hash). */
export const HEAD_ID = 1;

interface Head {
  seq: number;
  hash: string;
}

/**
 * Appends to one firm's chain. The head is kept in memory, and an append is ONE SQL
 * statement, a compare-and-set: it moves the head from (seq, hash) to (seq + 1, new hash)
 * only if the head still is (seq, hash), and inserts the entry only if it did. Appends of
 * this process go one after another. When another writer on the same database (a
 * scaled-out firm) moved the head, the compare fails and the append falls back to a
 * transaction that locks the head row. The chain never forks.
 */
export class ChainWriter {
  private head: Head | undefined;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly db: FirmDb) {}

  append(content: NewAccessLogEntry): Promise<ChainedEntry> {
    const next = this.tail.then(() => this.appendNow(content));
    this.tail = next.catch(() => undefined);
    return next;
  }

  private async appendNow(content: NewAccessLogEntry): Promise<ChainedEntry> {
    if (this.head) {
      const fast = await this.compareAndAppend(this.head, content).catch(() => undefined);
      if (fast) return fast;
    }
    // Contention with another writer (or no head cached yet): take the head row's lock.
    return this.lockedAppend(content);
  }

  private chained(head: Head, content: NewAccessLogEntry): ChainedEntry {
    const entry: AccessLogContent = {
      ...content,
      seq: head.seq + 1,
      roles: [...content.roles],
      reads: content.reads.map((r) => ({ type: r.type, fields: [...r.fields], rows: r.rows, rules: [...r.rules] })),
      deniedFields: [...content.deniedFields],
    };
    return { ...entry, prevHash: head.hash, hash: hashEntry(head.hash, entry) };
  }

  /** One statement: move the head if it is still `head`, and insert the entry only then. */
  private async compareAndAppend(head: Head, content: NewAccessLogEntry): Promise<ChainedEntry | undefined> {
    const e = this.chained(head, content);
    const result = await this.db.execute(sql`
      with moved as (
        update access_log_head set seq = ${e.seq}, hash = ${e.hash}
        where id = ${HEAD_ID} and seq = ${head.seq} and hash = ${head.hash}
        returning seq
      )
      insert into access_log (seq, at, caller_firm, caller_subject, roles, purpose, operation_name, operation_hash, reads, denied_fields, prev_hash, hash)
      select ${e.seq}, ${e.at.toISOString()}::timestamptz, ${e.callerFirm}, ${e.callerSubject},
             ${JSON.stringify(e.roles)}::jsonb, ${e.purpose}, ${e.operationName}, ${e.operationHash},
             ${JSON.stringify(e.reads)}::jsonb, ${JSON.stringify(e.deniedFields)}::jsonb, ${e.prevHash}, ${e.hash}
      from moved
      returning seq`);
    if (rowsOf(result).length !== 1) {
      this.head = undefined;
      return undefined;
    }
    this.head = { seq: e.seq, hash: e.hash };
    return e;
  }

  /** The slow path: a transaction that locks the head row, so that it always makes progress. */
  private async lockedAppend(content: NewAccessLogEntry): Promise<ChainedEntry> {
    const stored = await this.db.transaction(async (tx) => {
      const [head] = await tx.select().from(accessLogHead).where(eq(accessLogHead.id, HEAD_ID)).for('update');
      if (!head) throw new Error('The access log head (access_log_head, id 1) is missing: the database was not migrated or was tampered with.');
      const e = this.chained({ seq: head.seq, hash: head.hash }, content);
      await tx.insert(accessLog).values({ ...e, roles: [...e.roles], reads: [...e.reads], deniedFields: [...e.deniedFields] });
      await tx.update(accessLogHead).set({ seq: e.seq, hash: e.hash }).where(eq(accessLogHead.id, HEAD_ID));
      return e;
    });
    this.head = { seq: stored.seq, hash: stored.hash };
    return stored;
  }
}

const writers = new WeakMap<FirmDb, ChainWriter>();

/**
 * Appends an entry to the firm's hash-chained access log and returns it as stored.
 * Concurrent appends (in this process or in others on the same database) never fork the chain.
 * @example await appendEntry(db, { at: new Date(), callerFirm: 'skyframe', ... });
 */
export function appendEntry(db: FirmDb, content: NewAccessLogEntry): Promise<ChainedEntry> {
  let writer = writers.get(db);
  if (!writer) {
    writer = new ChainWriter(db);
    writers.set(db, writer);
  }
  return writer.append(content);
}
