import { sql } from 'drizzle-orm';
import type { FirmDb } from '../db/firmDb.js';
import { rowsOf } from '../db/rowsOf.js';
import { CHAIN_HEAD_ID } from '../hashChain/chainHash.js';
import { linkEntries } from '../hashChain/chainVerifier.js';
import { appendLocked } from '../hashChain/storedChain.js';
import { ACCESS_LOG_CHAIN } from './accessLogChain.js';
import type { AccessLogContent } from './canonicalEntry.js';
import { hashEntry } from './hashEntry.js';
import type { ChainedEntry } from './verifyChain.js';

/** An entry to append: its content without the position, which the chain assigns. */
export type NewAccessLogEntry = Omit<AccessLogContent, 'seq'>;

interface Head {
  seq: number;
  hash: string;
}

interface Pending {
  content: NewAccessLogEntry;
  resolve(entry: ChainedEntry): void;
  reject(error: unknown): void;
}

/** Most entries one statement carries (a burst larger than this takes several). */
const MAX_GROUP = 200;

/**
 * Appends to one firm's chain, with group commit. The head is kept in memory; appends that
 * arrive while a write is in flight wait for it and are then written together, chained in
 * arrival order, in ONE SQL statement: a compare-and-set that moves the head from (seq,
 * hash) to the group's last entry only if the head still is (seq, hash), and inserts the
 * group only if it did. One commit (one WAL flush on PostgreSQL) serves the whole group, and
 * every append resolves only once its entry is committed. When another writer on the same
 * database (a scaled-out firm) moved the head, the compare fails and the group falls back
 * to a transaction that locks the head row. The chain never forks.
 */
export class ChainWriter {
  private head: Head | undefined;
  private queue: Pending[] = [];
  private writing = false;

  constructor(private readonly db: FirmDb) {}

  append(content: NewAccessLogEntry): Promise<ChainedEntry> {
    return new Promise<ChainedEntry>((resolve, reject) => {
      this.queue.push({ content, resolve, reject });
      if (!this.writing) void this.drain();
    });
  }

  /** Writes the queue, a group at a time, until it is empty. */
  private async drain(): Promise<void> {
    this.writing = true;
    try {
      while (this.queue.length > 0) {
        const group = this.queue.splice(0, MAX_GROUP);
        try {
          const stored = await this.appendGroup(group.map((p) => p.content));
          group.forEach((p, i) => p.resolve(stored[i] as ChainedEntry));
        } catch (error) {
          for (const p of group) p.reject(error);
        }
      }
    } finally {
      this.writing = false;
    }
  }

  private async appendGroup(contents: readonly NewAccessLogEntry[]): Promise<ChainedEntry[]> {
    if (this.head) {
      const fast = await this.compareAndAppend(this.head, contents).catch(() => undefined);
      if (fast) return fast;
    }
    // Contention with another writer (or no head cached yet): take the head row's lock.
    return this.lockedAppend(contents);
  }

  /** The entries of a group chained after `head`, in order (their lists copied: a caller's later change alters nothing). */
  private chainAll(head: Head, contents: readonly NewAccessLogEntry[]): ChainedEntry[] {
    return linkEntries<AccessLogContent>(head, contents.map(copyContent), hashEntry);
  }

  /** One statement: move the head if it is still `head`, and insert the group only then. */
  private async compareAndAppend(head: Head, contents: readonly NewAccessLogEntry[]): Promise<ChainedEntry[] | undefined> {
    const entries = this.chainAll(head, contents);
    const last = entries[entries.length - 1];
    if (!last) return [];
    const rows = sql.join(
      entries.map(
        (e) => sql`(${e.seq}::integer, ${e.at.toISOString()}::timestamptz, ${e.callerFirm}::text, ${e.callerSubject}::text,
             ${JSON.stringify(e.roles)}::jsonb, ${e.purpose}::text, ${e.operationName}::text, ${e.operationHash}::text,
             ${JSON.stringify(e.reads)}::jsonb, ${JSON.stringify(e.deniedFields)}::jsonb, ${e.prevHash}::text, ${e.hash}::text)`,
      ),
      sql`, `,
    );
    const result = await this.db.execute(sql`
      with moved as (
        update access_log_head set seq = ${last.seq}, hash = ${last.hash}
        where id = ${CHAIN_HEAD_ID} and seq = ${head.seq} and hash = ${head.hash}
        returning seq
      )
      insert into access_log (seq, at, caller_firm, caller_subject, roles, purpose, operation_name, operation_hash, reads, denied_fields, prev_hash, hash)
      select v.* from (values ${rows}) as v(seq, at, caller_firm, caller_subject, roles, purpose, operation_name, operation_hash, reads, denied_fields, prev_hash, hash)
      where exists (select 1 from moved)
      returning seq`);
    if (rowsOf(result).length !== entries.length) {
      this.head = undefined;
      return undefined;
    }
    this.head = { seq: last.seq, hash: last.hash };
    return entries;
  }

  /** The slow path: a transaction that locks the head row, so that it always makes progress. */
  private async lockedAppend(contents: readonly NewAccessLogEntry[]): Promise<ChainedEntry[]> {
    const stored = await this.db.transaction((tx) => appendLocked(tx, ACCESS_LOG_CHAIN, contents.map(copyContent)));
    const last = stored[stored.length - 1];
    if (last) this.head = { seq: last.seq, hash: last.hash };
    return stored;
  }
}

function copyContent(content: NewAccessLogEntry): NewAccessLogEntry {
  return {
    ...content,
    roles: [...content.roles],
    reads: content.reads.map((r) => ({ type: r.type, fields: [...r.fields], rows: r.rows, rules: [...r.rules] })),
    deniedFields: [...content.deniedFields],
  };
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
