import { createHash } from 'node:crypto';
import { canonicalEntry, type AccessLogContent } from './canonicalEntry.js';

/** The `prevHash` of entry 1, and the head's hash of an empty log: 64 zeros. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * SHA-256 of a UTF-8 text, as 64 lowercase hex digits.
 * @example sha256Hex('') // 'e3b0c442...b855'
 */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * The hash of an entry: `sha256hex(prevHash + '\n' + canonicalEntry(content))`. It covers
 * the entry's content, its position (`seq`) and, through `prevHash`, every entry before it.
 * @example const hash = hashEntry(GENESIS_HASH, { seq: 1, ... });
 */
export function hashEntry(prevHash: string, content: AccessLogContent): string {
  return sha256Hex(`${prevHash}\n${canonicalEntry(content)}`);
}
