import type { LoggedChange } from '../db/governanceTables.js';
import { chainHash } from '../hashChain/chainHash.js';
import type { ChainLinks } from '../hashChain/chainVerifier.js';

/**
 * What a write log entry says, without its chain links: the part that the hash covers. Who
 * (the actor's firm, subject and roles), when, which operation, and what changed per table.
 */
export interface WriteLogContent {
  /** Position in the chain, from 1. */
  seq: number;
  /** When the write arrived at the owner (the request's instant). */
  at: Date;
  actorFirm: string;
  actorSubject: string;
  roles: readonly string[];
  /** `writeRows`, `recordReceipt`, `import`... */
  operation: string;
  /** A short description: the import's files and their SHA-256, a receipt's shipment. */
  detail: string | null;
  changes: readonly LoggedChange[];
}

/** A write log entry as stored: its content and its chain links. */
export interface WriteLogEntry extends WriteLogContent, ChainLinks {}

/** An entry to append: its content without the position, which the chain assigns. */
export type NewWriteLogEntry = Omit<WriteLogContent, 'seq'>;

const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The canonical text of a write log entry's content: JSON with a fixed key order, the instant
 * as ISO-8601 UTC with milliseconds, the roles sorted and the changes sorted by table (each
 * change's keys keep the order they were written in; `truncated` is always a boolean). Two
 * entries with the same content have the same text whatever order a driver or jsonb gave
 * their keys.
 * @example canonicalWriteEntry({ seq: 1, at: new Date(0), actorFirm: 'skyframe', ... }) // '{"seq":1,"at":"1970-01-01T00:00:00.000Z",...}'
 */
export function canonicalWriteEntry(content: WriteLogContent): string {
  return JSON.stringify({
    seq: content.seq,
    at: content.at.toISOString(),
    actorFirm: content.actorFirm,
    actorSubject: content.actorSubject,
    roles: [...content.roles].sort(byCodePoint),
    operation: content.operation,
    detail: content.detail,
    changes: [...content.changes]
      .sort((a, b) => byCodePoint(a.table, b.table))
      .map((c) => ({ table: c.table, upserted: c.upserted, deleted: c.deleted, keys: [...c.keys], truncated: c.truncated === true })),
  });
}

/**
 * The hash of a write log entry: `sha256hex(prevHash + '\n' + canonicalWriteEntry(content))`,
 * as the access log's (chainHash).
 * @example const hash = hashWriteEntry(GENESIS_HASH, { seq: 1, ... });
 */
export function hashWriteEntry(prevHash: string, content: WriteLogContent): string {
  return chainHash(prevHash, canonicalWriteEntry(content));
}
