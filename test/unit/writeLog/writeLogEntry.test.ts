import { describe, expect, it } from 'vitest';
import { GENESIS_HASH, sha256Hex } from '../../../subgraphs/firm/hashChain/chainHash.js';
import { ChainVerifier, linkEntries } from '../../../subgraphs/firm/hashChain/chainVerifier.js';
import { canonicalWriteEntry, hashWriteEntry, type WriteLogContent, type WriteLogEntry } from '../../../subgraphs/firm/writeLog/writeLogEntry.js';

function content(i: number): Omit<WriteLogContent, 'seq'> {
  return {
    at: new Date(Date.UTC(2026, 11, 1, 8, 0, i)),
    actorFirm: 'skyframe',
    actorSubject: `erp-${i}@skyframe`,
    roles: ['integration', 'planner'],
    operation: 'writeRows',
    detail: i % 2 ? null : `batch ${i}`,
    changes: [
      { table: 'lots', upserted: i, deleted: 0, keys: [`L-${i}`, 'L-0'] },
      { table: 'bomLines', upserted: 0, deleted: 1, keys: ['P-1/2'], truncated: false },
    ],
  };
}

function chain(n: number): { entries: WriteLogEntry[]; head: { seq: number; hash: string } } {
  const entries = linkEntries<WriteLogContent>({ seq: 0, hash: GENESIS_HASH }, Array.from({ length: n }, (_, i) => content(i + 1)), hashWriteEntry);
  return { entries, head: { seq: n, hash: entries.at(-1)?.hash ?? GENESIS_HASH } };
}

function verify(entries: readonly WriteLogEntry[], head: { seq: number; hash: string }) {
  const v = new ChainVerifier<WriteLogEntry>(hashWriteEntry);
  for (const e of entries) v.push(e);
  return v.finish(head);
}

describe('the write log entry: canonical text and hash', () => {
  it('is sha256(prevHash + newline + canonical JSON), with a fixed key order', () => {
    const c = { ...content(1), seq: 1 };
    expect(hashWriteEntry(GENESIS_HASH, c)).toBe(sha256Hex(`${GENESIS_HASH}\n${canonicalWriteEntry(c)}`));
    expect(canonicalWriteEntry(c)).toMatch(/^\{"seq":1,"at":"2026-12-01T08:00:01.000Z","actorFirm":"skyframe","actorSubject":"erp-1@skyframe","roles":\["integration","planner"\],"operation":"writeRows","detail":null,"changes":\[\{"table":"bomLines"/);
  });

  it('does not depend on key order, the order of roles and changes, or an absent truncated flag', () => {
    const a = { ...content(2), seq: 2 };
    const b: WriteLogContent = {
      changes: [...a.changes].reverse().map((c) => ({ keys: c.keys, deleted: c.deleted, upserted: c.upserted, table: c.table })),
      detail: a.detail,
      operation: a.operation,
      roles: [...a.roles].reverse(),
      actorSubject: a.actorSubject,
      actorFirm: a.actorFirm,
      at: new Date(a.at.getTime()),
      seq: 2,
    };
    expect(canonicalWriteEntry(b)).toBe(canonicalWriteEntry(a));
  });

  it('changes with anything the entry says: actor, operation, detail, a count, a key and its order', () => {
    const a = { ...content(2), seq: 2 };
    const base = hashWriteEntry(GENESIS_HASH, a);
    const [lots, bom] = a.changes as [WriteLogContent['changes'][number], WriteLogContent['changes'][number]];
    const variants: WriteLogContent[] = [
      { ...a, actorFirm: 'structura' },
      { ...a, actorSubject: 'someone' },
      { ...a, roles: ['admin'] },
      { ...a, operation: 'import' },
      { ...a, detail: null },
      { ...a, seq: 3 },
      { ...a, at: new Date(a.at.getTime() + 1) },
      { ...a, changes: [{ ...lots, upserted: 99 }, bom] },
      { ...a, changes: [{ ...lots, keys: [...lots.keys].reverse() }, bom] },
      { ...a, changes: [lots, { ...bom, truncated: true }] },
      { ...a, changes: [lots] },
    ];
    for (const v of variants) expect(hashWriteEntry(GENESIS_HASH, v)).not.toBe(base);
  });
});

describe('a write log chain, checked by the shared ChainVerifier', () => {
  it('accepts an intact chain linked by linkEntries', () => {
    const { entries, head } = chain(4);
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    expect(entries[0]?.prevHash).toBe(GENESIS_HASH);
    expect(entries[1]?.prevHash).toBe(entries[0]?.hash);
    expect(verify(entries, head)).toEqual({ ok: true, entries: 4, head });
  });

  it('names an entry whose changes were altered, and one whose hash was recomputed at the next link', () => {
    const altered = chain(4);
    const e = altered.entries[1];
    if (e) e.changes = [{ table: 'lots', upserted: 0, deleted: 5, keys: [] }];
    expect(verify(altered.entries, altered.head)).toMatchObject({ ok: false, firstBrokenSeq: 2, reason: expect.stringMatching(/entry 2 was altered/) });
    if (e) e.hash = hashWriteEntry(e.prevHash, e);
    expect(verify(altered.entries, altered.head)).toMatchObject({ ok: false, firstBrokenSeq: 3, reason: expect.stringMatching(/does not link to entry 2/) });
  });

  it('names a deleted entry and a truncated tail', () => {
    const gap = chain(5);
    gap.entries.splice(2, 1);
    expect(verify(gap.entries, gap.head)).toMatchObject({ ok: false, firstBrokenSeq: 3, reason: expect.stringMatching(/entry 3 is missing/) });
    const tail = chain(5);
    tail.entries.splice(3);
    expect(verify(tail.entries, tail.head)).toMatchObject({ ok: false, firstBrokenSeq: 4 });
  });
});
