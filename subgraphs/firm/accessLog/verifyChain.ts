import { GENESIS_HASH } from '../hashChain/chainHash.js';
import { ChainVerifier, type ChainHead, type ChainLinks, type ChainVerification } from '../hashChain/chainVerifier.js';
import type { AccessLogContent } from './canonicalEntry.js';
import { hashEntry } from './hashEntry.js';

export type { ChainHead, ChainVerification } from '../hashChain/chainVerifier.js';

/** An access log entry as stored: its content and its chain links. */
export interface ChainedEntry extends AccessLogContent, ChainLinks {}

/**
 * Checks a whole access log chain held in memory (see ChainVerifier in
 * `hashChain/chainVerifier.ts` for what it detects and what it cannot).
 * @example verifyChain(entries, { seq: entries.length, hash: entries.at(-1)?.hash ?? GENESIS_HASH }).ok
 */
export function verifyChain(entries: Iterable<ChainedEntry>, head: ChainHead, genesis: string = GENESIS_HASH): ChainVerification {
  const verifier = new ChainVerifier<ChainedEntry>(hashEntry, genesis);
  for (const entry of entries) verifier.push(entry);
  return verifier.finish(head);
}
