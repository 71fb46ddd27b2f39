import { chainHash } from '../hashChain/chainHash.js';
import { canonicalEntry, type AccessLogContent } from './canonicalEntry.js';

export { GENESIS_HASH, sha256Hex } from '../hashChain/chainHash.js';

/**
 * The hash of an access log entry: `sha256hex(prevHash + '\n' + canonicalEntry(content))`
 * (chainHash). It covers the entry's content, its position (`seq`) and, through `prevHash`,
 * every entry before it.
 * @example const hash = hashEntry(GENESIS_HASH, { seq: 1, ... });
 */
export function hashEntry(prevHash: string, content: AccessLogContent): string {
  return chainHash(prevHash, canonicalEntry(content));
}
