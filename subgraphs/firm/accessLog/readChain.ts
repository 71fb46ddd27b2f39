import type { FirmDb } from '../db/firmDb.js';
import { readStoredChain, readStoredHead } from '../hashChain/storedChain.js';
import { ACCESS_LOG_CHAIN } from './accessLogChain.js';
import type { ChainHead, ChainedEntry } from './verifyChain.js';

/**
 * The stored access log in seq order (up to `upTo` when given), read in batches by seq (an
 * index range scan on the primary key), so a log of any length is walked in bounded memory.
 * @example for await (const entry of readChain(db)) console.log(entry.seq, entry.hash);
 */
export function readChain(db: FirmDb, options: { upTo?: number; batch?: number } = {}): AsyncGenerator<ChainedEntry> {
  return readStoredChain(db, ACCESS_LOG_CHAIN, options);
}

/**
 * The stored head of the access log, or undefined when its row is missing (tampering: the
 * migration inserts it).
 * @example const head = await readHead(db); console.log(head?.seq, head?.hash);
 */
export function readHead(db: FirmDb): Promise<ChainHead | undefined> {
  return readStoredHead(db, ACCESS_LOG_CHAIN);
}
