import type { FirmDb } from '../db/firmDb.js';
import { GENESIS_HASH } from './hashEntry.js';
import { readChain, readHead } from './readChain.js';
import { ChainVerifier, type ChainVerification } from './verifyChain.js';

/**
 * Verifies a firm's stored access log against its head. The head is read first and the
 * chain walked up to the head's seq in batches: an entry and the head move in one
 * transaction, so appends that commit during the walk are simply not part of the check,
 * and no long transaction holds up the firm's requests.
 * @example const v = await verifyStoredChain(firm.db); if (!v.ok) console.log(v.firstBrokenSeq, v.reason);
 */
export async function verifyStoredChain(db: FirmDb): Promise<ChainVerification> {
  const head = await readHead(db);
  const verifier = new ChainVerifier();
  if (!head) {
    let entries = 0;
    for await (const _entry of readChain(db)) entries += 1;
    return { ok: false, entries, firstBrokenSeq: 1, reason: 'the head of the access log (access_log_head, id 1) is missing', head: { seq: 0, hash: GENESIS_HASH } };
  }
  for await (const entry of readChain(db, { upTo: head.seq })) verifier.push(entry);
  return verifier.finish(head);
}
