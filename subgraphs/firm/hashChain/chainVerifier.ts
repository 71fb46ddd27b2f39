import { GENESIS_HASH } from './chainHash.js';

/** What every chained entry carries: its position (from 1) and its links. */
export interface ChainLinks {
  seq: number;
  prevHash: string;
  hash: string;
}

/** The head of a chain as stored: the last entry's seq and hash (0 and 64 zeros when empty). */
export interface ChainHead {
  seq: number;
  hash: string;
}

/** The outcome of checking a chain (the GraphQL `AccessLogVerification` / `WriteLogVerification`, plus the head). */
export interface ChainVerification {
  ok: boolean;
  /** Entries read. */
  entries: number;
  /** The first entry (by seq) that is altered, missing or out of place; absent when ok. */
  firstBrokenSeq?: number;
  /** Why, in one sentence; absent when ok. */
  reason?: string;
  /** The stored head: copy `head.hash` elsewhere (anchor it) to detect a rewrite of the whole log later. */
  head: ChainHead;
}

/** How a chain hashes an entry: `(prevHash, content) → hash` (see chainHash). */
export type EntryHasher<E> = (prevHash: string, entry: E) => string;

/**
 * Checks a hash chain entry by entry, so that a log of any length can be streamed through it
 * (`push` in seq order, then `finish` with the stored head). Any chained log of a firm: the
 * entry's hash is recomputed with the log's own `hashOf`. It detects:
 *
 * - an altered entry (content or hash): its recomputed hash differs;
 * - an altered entry whose hash was recomputed too: the next entry's `prevHash` (or the
 *   head) no longer matches;
 * - a deleted or inserted entry, or entries out of order: seq is not contiguous from 1;
 * - entries deleted from the end (a truncated tail): the head names a later seq or another hash.
 *
 * It cannot detect a consistent rewrite of the whole table and the head by someone who
 * controls the database (a superuser can recompute every hash). Mitigation: the owner
 * publishes or anchors the head hash from time to time (the last entry's `hash`, printed
 * by `dataspace log verify`); an anchored hash that no longer appears in the chain at its
 * seq proves a rewrite.
 * @example
 * const v = new ChainVerifier(hashEntry);
 * for (const e of entries) v.push(e);
 * v.finish({ seq: 3, hash: 'ab12...' }); // { ok: true, entries: 3, head: {...} }
 */
export class ChainVerifier<E extends ChainLinks> {
  private count = 0;
  private lastSeq = 0;
  private lastHash: string;
  private broken: { seq: number; reason: string } | undefined;

  constructor(
    private readonly hashOf: EntryHasher<E>,
    genesis: string = GENESIS_HASH,
  ) {
    this.lastHash = genesis;
  }

  /** The next entry, in the order the store returned them (ascending seq). */
  push(entry: E): void {
    this.count += 1;
    if (this.broken) return;
    const expected = this.lastSeq + 1;
    if (entry.seq !== expected) {
      this.broken =
        entry.seq > expected
          ? { seq: expected, reason: `entry ${expected} is missing: the entry after ${this.lastSeq || 'the start'} is ${entry.seq}` }
          : { seq: entry.seq, reason: `entry ${entry.seq} is out of place: it follows entry ${this.lastSeq}` };
      return;
    }
    if (entry.prevHash !== this.lastHash) {
      this.broken = {
        seq: entry.seq,
        reason:
          entry.seq === 1
            ? 'entry 1 does not start from the genesis hash'
            : `entry ${entry.seq} does not link to entry ${entry.seq - 1}: its prevHash differs from that entry's hash (one of them was altered)`,
      };
      return;
    }
    if (this.hashOf(entry.prevHash, entry) !== entry.hash) {
      this.broken = { seq: entry.seq, reason: `entry ${entry.seq} was altered: its content does not match its hash` };
      return;
    }
    this.lastSeq = entry.seq;
    this.lastHash = entry.hash;
  }

  /** The verdict, given the stored head. */
  finish(head: ChainHead): ChainVerification {
    const done = (broken?: { seq: number; reason: string }): ChainVerification =>
      broken ? { ok: false, entries: this.count, firstBrokenSeq: broken.seq, reason: broken.reason, head } : { ok: true, entries: this.count, head };
    if (this.broken) return done(this.broken);
    if (head.seq > this.lastSeq) {
      const first = this.lastSeq + 1;
      return done({
        seq: first,
        reason: `entries ${first === head.seq ? first : `${first} to ${head.seq}`} are missing: the head says the log ends at ${head.seq}, the table at ${this.lastSeq}`,
      });
    }
    if (head.seq < this.lastSeq) {
      return done({ seq: head.seq + 1, reason: `entry ${head.seq + 1} is not covered by the head (the head ends at ${head.seq})` });
    }
    if (head.hash !== this.lastHash) {
      return done({
        seq: Math.max(head.seq, 1),
        reason: head.seq === 0 ? 'the head of the empty log is not the genesis hash' : `the head's hash differs from entry ${head.seq}'s hash (the last entry or the head was altered)`,
      });
    }
    return done();
  }
}

/**
 * Links contents into a chain after `head`: each gets the next seq, the previous entry's hash
 * as `prevHash`, and its own hash. Pure.
 * @example linkEntries({ seq: 0, hash: GENESIS_HASH }, [content], hashEntry) // [{ ...content, seq: 1, prevHash: '000…', hash: '…' }]
 */
export function linkEntries<C extends { seq: number }>(head: ChainHead, contents: readonly Omit<C, 'seq'>[], hashOf: EntryHasher<C>): (C & ChainLinks)[] {
  const out: (C & ChainLinks)[] = [];
  let at = head;
  for (const content of contents) {
    const entry = { ...content, seq: at.seq + 1 } as C;
    const hash = hashOf(at.hash, entry);
    out.push({ ...entry, prevHash: at.hash, hash });
    at = { seq: entry.seq, hash };
  }
  return out;
}
