import { createHash } from 'node:crypto';

/** The `prevHash` of entry 1, and the head's hash of an empty log: 64 zeros. */
export const GENESIS_HASH = '0'.repeat(64);

/** The id of a chain head's one row (`access_log_head`, `write_log_head`). */
export const CHAIN_HEAD_ID = 1;

/**
 * SHA-256 of a UTF-8 text, as 64 lowercase hex digits.
 * @example sha256Hex('') // 'e3b0c442...b855'
 */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * The hash of a chained entry: `sha256hex(prevHash + '\n' + canonical)`, where `canonical` is
 * the entry's content (its `seq` included) as canonical text. It covers the entry, its
 * position and, through `prevHash`, every entry before it. Every hash-chained log of a firm
 * (the access log, the write log) hashes this way; each says what its canonical text is.
 * @example chainHash(GENESIS_HASH, '{"seq":1,...}')
 */
export function chainHash(prevHash: string, canonical: string): string {
  return sha256Hex(`${prevHash}\n${canonical}`);
}
