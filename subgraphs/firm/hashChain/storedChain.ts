import { sql } from 'drizzle-orm';
import type { FirmDb } from '../db/firmDb.js';
import { rowsOf } from '../db/rowsOf.js';
import { CHAIN_HEAD_ID, GENESIS_HASH } from './chainHash.js';
import { ChainVerifier, linkEntries, type ChainHead, type ChainLinks, type ChainVerification, type EntryHasher } from './chainVerifier.js';

/** Rows read per statement when walking a chain. */
export const CHAIN_BATCH = 1000;

/**
 * A hash-chained log stored in a firm's database: its entries' table and the head row (id 1)
 * that names the last entry. The access log and the write log are two of these; everything
 * that walks, verifies or appends under the head's lock is written once, here.
 */
export interface StoredChain<C extends { seq: number }> extends ChainHeadTable {
  hashOf: EntryHasher<C>;
  /** Entries with `after < seq ≤ upTo` in seq order, at most `limit`: one statement on the primary key. */
  readBatch(db: FirmDb, after: number, upTo: number | undefined, limit: number): Promise<(C & ChainLinks)[]>;
  /** Inserts linked entries, in one statement. */
  insert(db: FirmDb, entries: readonly (C & ChainLinks)[]): Promise<void>;
}

/** Where a chain's head lives. */
export interface ChainHeadTable {
  /** In messages: `access log`, `write log`. */
  name: string;
  /** The head table (`access_log_head`): one row, id 1, inserted at genesis by a migration, moved in the same transaction as each append. */
  headTable: string;
}

/**
 * A stored chain's entries in seq order (up to `upTo` when given), read in batches by seq (an
 * index range scan on the primary key), so a log of any length is walked in bounded memory.
 * @example for await (const entry of readStoredChain(db, WRITE_LOG_CHAIN)) console.log(entry.seq, entry.hash);
 */
export async function* readStoredChain<C extends { seq: number }>(
  db: FirmDb,
  chain: StoredChain<C>,
  options: { upTo?: number; batch?: number } = {},
): AsyncGenerator<C & ChainLinks> {
  const batch = options.batch ?? CHAIN_BATCH;
  let after = -2_147_483_648; // the smallest integer column value
  for (;;) {
    const rows = await chain.readBatch(db, after, options.upTo, batch);
    for (const row of rows) yield row;
    const last = rows.at(-1);
    if (!last || rows.length < batch) return;
    after = last.seq;
  }
}

/**
 * The stored head of a chain, or undefined when its row is missing.
 * @example const head = await readStoredHead(db, WRITE_LOG_CHAIN); console.log(head?.seq, head?.hash);
 */
export async function readStoredHead(db: FirmDb, chain: ChainHeadTable, lock = false): Promise<ChainHead | undefined> {
  const rows = rowsOf<{ seq: number | string; hash: string }>(
    await db.execute(sql`select seq, hash from ${sql.identifier(chain.headTable)} where id = ${CHAIN_HEAD_ID}${lock ? sql` for update` : sql``}`),
  );
  const row = rows[0];
  return row ? { seq: Number(row.seq), hash: row.hash } : undefined;
}

/**
 * Verifies a stored chain against its head. The head is read first and the chain walked up to
 * the head's seq in batches: an entry and the head move in one transaction, so appends that
 * commit during the walk are simply not part of the check, and no long transaction holds up
 * the firm's requests. A missing head row is tampering (its migration inserts it).
 * @example const v = await verifyStoredLog(db, WRITE_LOG_CHAIN); if (!v.ok) console.log(v.firstBrokenSeq, v.reason);
 */
export async function verifyStoredLog<C extends { seq: number }>(db: FirmDb, chain: StoredChain<C>): Promise<ChainVerification> {
  const head = await readStoredHead(db, chain);
  if (!head) {
    let entries = 0;
    for await (const _entry of readStoredChain(db, chain)) entries += 1;
    return { ok: false, entries, firstBrokenSeq: 1, reason: `the head of the ${chain.name} (${chain.headTable}, id ${CHAIN_HEAD_ID}) is missing`, head: { seq: 0, hash: GENESIS_HASH } };
  }
  const verifier = new ChainVerifier<C & ChainLinks>(chain.hashOf);
  for await (const entry of readStoredChain(db, chain, { upTo: head.seq })) verifier.push(entry);
  return verifier.finish(head);
}

/** Locks the head row (`for update`) in the caller's transaction. */
async function lockHead(tx: FirmDb, chain: ChainHeadTable): Promise<ChainHead> {
  const head = await readStoredHead(tx, chain, true);
  if (!head) throw new Error(`The ${chain.name} head (${chain.headTable}, id ${CHAIN_HEAD_ID}) is missing: the database was not migrated or was tampered with.`);
  return head;
}

/**
 * Appends entries to a stored chain inside the caller's transaction: locks the head row (a
 * concurrent append, in this process or another on the same database, waits for the commit),
 * links the entries after it, inserts them and moves the head. The entries commit, or roll
 * back, with whatever else the transaction wrote. MUST run inside a transaction.
 * @example await db.transaction(async (tx) => appendLocked(tx, WRITE_LOG_CHAIN, [content]));
 */
export async function appendLocked<C extends { seq: number }>(tx: FirmDb, chain: StoredChain<C>, contents: readonly Omit<C, 'seq'>[]): Promise<(C & ChainLinks)[]> {
  const head = await lockHead(tx, chain);
  const entries = linkEntries(head, contents, chain.hashOf);
  const last = entries.at(-1);
  if (!last) return entries;
  await chain.insert(tx, entries);
  await tx.execute(sql`update ${sql.identifier(chain.headTable)} set seq = ${last.seq}, hash = ${last.hash} where id = ${CHAIN_HEAD_ID}`);
  return entries;
}
