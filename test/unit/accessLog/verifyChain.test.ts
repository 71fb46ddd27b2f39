import { describe, expect, it } from 'vitest';
import { canonicalEntry, type AccessLogContent } from '../../../subgraphs/firm/accessLog/canonicalEntry.js';
import { GENESIS_HASH, hashEntry, sha256Hex } from '../../../subgraphs/firm/accessLog/hashEntry.js';
import { verifyChain, type ChainHead, type ChainedEntry } from '../../../subgraphs/firm/accessLog/verifyChain.js';

function content(seq: number): AccessLogContent {
  return {
    seq,
    at: new Date(Date.UTC(2025, 0, 1, 12, 0, seq)),
    callerFirm: seq % 2 ? 'skyframe' : 'aerotech',
    callerSubject: `planner@${seq % 2 ? 'skyframe' : 'aerotech'}`,
    roles: ['planner'],
    purpose: seq % 3 ? 'traceability' : null,
    operationName: 'Genealogy__firm__1',
    operationHash: sha256Hex(`query ${seq}`),
    reads: [
      { type: 'Part', fields: ['name', 'partNumber'], rows: 2, rules: ['customers-read-parts'] },
      { type: 'Lot', fields: ['lotId', 'status'], rows: seq, rules: ['customers-trace-lots'] },
    ],
    deniedFields: ['Part.unitCost'],
  };
}

/** A valid chain of n entries and its head. */
function chain(n: number): { entries: ChainedEntry[]; head: ChainHead } {
  const entries: ChainedEntry[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq += 1) {
    const c = content(seq);
    const hash = hashEntry(prevHash, c);
    entries.push({ ...c, prevHash, hash });
    prevHash = hash;
  }
  return { entries, head: { seq: n, hash: prevHash } };
}

/** Recomputes the hash of entry i (the tamperer's second step). */
function rehash(entries: ChainedEntry[], i: number): void {
  const e = entries[i];
  if (e) e.hash = hashEntry(e.prevHash, e);
}

describe('canonicalEntry and hashEntry', () => {
  it('does not depend on key order or the order of unordered lists', () => {
    const a = content(3);
    const b: AccessLogContent = {
      ...a,
      roles: [...a.roles].reverse(),
      reads: [...a.reads].reverse().map((r) => ({ rules: r.rules, rows: r.rows, fields: [...r.fields].reverse(), type: r.type })),
    };
    expect(canonicalEntry(b)).toBe(canonicalEntry(a));
    expect(hashEntry(GENESIS_HASH, b)).toBe(hashEntry(GENESIS_HASH, a));
  });

  it('is sha256(prevHash + newline + canonical JSON)', () => {
    const c = content(1);
    expect(hashEntry(GENESIS_HASH, c)).toBe(sha256Hex(`${GENESIS_HASH}\n${canonicalEntry(c)}`));
    expect(canonicalEntry(c)).toMatch(/^\{"seq":1,"at":"2025-01-01T12:00:01.000Z","callerFirm":"skyframe",/);
  });
});

describe('verifyChain', () => {
  it('accepts an intact chain, and an empty log with the genesis head', () => {
    const { entries, head } = chain(5);
    expect(verifyChain(entries, head)).toEqual({ ok: true, entries: 5, head });
    expect(verifyChain([], { seq: 0, hash: GENESIS_HASH }).ok).toBe(true);
  });

  it('names an entry whose content was altered', () => {
    const { entries, head } = chain(5);
    const e = entries[2];
    if (e) e.reads = [{ type: 'Lot', fields: ['lotId'], rows: 1, rules: [] }];
    expect(verifyChain(entries, head)).toMatchObject({ ok: false, entries: 5, firstBrokenSeq: 3, reason: expect.stringMatching(/entry 3 was altered/) });
  });

  it('names an entry whose hash was altered', () => {
    const { entries, head } = chain(5);
    const e = entries[1];
    if (e) e.hash = 'f'.repeat(64);
    expect(verifyChain(entries, head)).toMatchObject({ ok: false, firstBrokenSeq: 2 });
  });

  it('detects an altered entry whose hash was recomputed, at the next link or at the head', () => {
    const inner = chain(5);
    const e = inner.entries[1];
    if (e) e.callerFirm = 'someone-else';
    rehash(inner.entries, 1);
    expect(verifyChain(inner.entries, inner.head)).toMatchObject({ ok: false, firstBrokenSeq: 3, reason: expect.stringMatching(/does not link to entry 2/) });
    const last = chain(5);
    const l = last.entries[4];
    if (l) l.purpose = 'marketing';
    rehash(last.entries, 4);
    expect(verifyChain(last.entries, last.head)).toMatchObject({ ok: false, firstBrokenSeq: 5, reason: expect.stringMatching(/head's hash differs/) });
  });

  it('names a broken link (prevHash) and a chain that does not start at genesis', () => {
    const { entries, head } = chain(4);
    const e = entries[2];
    if (e) e.prevHash = 'a'.repeat(64);
    expect(verifyChain(entries, head)).toMatchObject({ ok: false, firstBrokenSeq: 3 });
    const other = chain(2);
    expect(verifyChain(other.entries, other.head, 'b'.repeat(64))).toMatchObject({ ok: false, firstBrokenSeq: 1 });
  });

  it('names the missing entry of a gap in seq', () => {
    const { entries, head } = chain(6);
    entries.splice(3, 1);
    expect(verifyChain(entries, head)).toMatchObject({ ok: false, entries: 5, firstBrokenSeq: 4, reason: expect.stringMatching(/entry 4 is missing/) });
  });

  it('detects a truncated tail through the head', () => {
    const { entries, head } = chain(6);
    entries.splice(4);
    expect(verifyChain(entries, head)).toMatchObject({ ok: false, entries: 4, firstBrokenSeq: 5, reason: expect.stringMatching(/5 to 6 are missing/) });
    const all = chain(3);
    expect(verifyChain([], all.head)).toMatchObject({ ok: false, firstBrokenSeq: 1 });
  });

  it('detects entries the head does not cover, and an altered head', () => {
    const { entries, head } = chain(4);
    expect(verifyChain(entries, { seq: 3, hash: head.hash })).toMatchObject({ ok: false, firstBrokenSeq: 4 });
    expect(verifyChain(entries, { seq: 4, hash: 'c'.repeat(64) })).toMatchObject({ ok: false, firstBrokenSeq: 4 });
  });

  it('detects reordered entries, and swapped positions', () => {
    const { entries, head } = chain(5);
    const swapped = [entries[0], entries[2], entries[1], entries[3], entries[4]].filter((e): e is ChainedEntry => e !== undefined);
    expect(verifyChain(swapped, head)).toMatchObject({ ok: false, firstBrokenSeq: 2 });
    // Same rows in seq order, but two entries' seq numbers exchanged (as an UPDATE would).
    const renumbered = chain(5).entries;
    const [b, c] = [renumbered[1], renumbered[2]];
    if (b && c) {
      [b.seq, c.seq] = [c.seq, b.seq];
      renumbered[1] = c;
      renumbered[2] = b;
    }
    expect(verifyChain(renumbered, head)).toMatchObject({ ok: false, firstBrokenSeq: 2 });
  });

  it('cannot detect a consistent rewrite of the whole chain and head (anchor the head to catch it)', () => {
    const original = chain(3);
    const rewritten = chain(3);
    for (const e of rewritten.entries) e.callerFirm = 'nobody';
    let prev = GENESIS_HASH;
    for (const e of rewritten.entries) {
      e.prevHash = prev;
      e.hash = hashEntry(prev, e);
      prev = e.hash;
    }
    expect(verifyChain(rewritten.entries, { seq: 3, hash: prev }).ok).toBe(true);
    // The head hash published earlier no longer matches: that is the rewrite's evidence.
    expect(prev).not.toBe(original.head.hash);
  });
});
