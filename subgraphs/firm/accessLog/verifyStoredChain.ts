import type { FirmDb } from '../db/firmDb.js';
import { verifyStoredLog } from '../hashChain/storedChain.js';
import type { ChainVerification } from '../hashChain/chainVerifier.js';
import { ACCESS_LOG_CHAIN } from './accessLogChain.js';

/**
 * Verifies a firm's stored access log against its head (verifyStoredLog): the head is read
 * first and the chain walked up to the head's seq in batches, so appends that commit during
 * the walk are not part of the check and no long transaction holds up the firm's requests.
 * @example const v = await verifyStoredChain(firm.db); if (!v.ok) console.log(v.firstBrokenSeq, v.reason);
 */
export function verifyStoredChain(db: FirmDb): Promise<ChainVerification> {
  return verifyStoredLog(db, ACCESS_LOG_CHAIN);
}
