import { describe, expect, it } from 'vitest';
import { Connection } from '../../../subgraphs/firm/paging/connection.js';

const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `r${i + 1}` }));

/** A cursorOf that counts its calls: cursors are made only for what the response carries. */
function counting() {
  const made: string[] = [];
  return { made, cursorOf: (row: { id: string }) => (made.push(row.id), `c:${row.id}`) };
}

describe('Connection: one page from a LIMIT first + 1 statement', () => {
  it('returns first rows and says a next page exists when the statement found one more', () => {
    const { cursorOf } = counting();
    const page = Connection.of(rows(4), 3, cursorOf);
    expect(page.nodes()).toEqual(rows(3));
    expect(page.edges().map((e) => e.node)).toEqual(rows(3));
    const info = page.pageInfo();
    expect(info.hasNextPage).toBe(true);
    expect(info.hasPreviousPage).toBe(false);
    expect([info.startCursor(), info.endCursor()]).toEqual(['c:r1', 'c:r3']);
  });

  it('is the last page when the statement found no more than first rows', () => {
    for (const n of [0, 1, 3]) {
      const page = Connection.of(rows(n), 3, counting().cursorOf);
      expect(page.nodes()).toHaveLength(n);
      expect(page.pageInfo().hasNextPage).toBe(false);
    }
  });

  it('has null cursors on an empty page; first 0 still tells whether a row exists', () => {
    const empty = Connection.of([], 5, counting().cursorOf).pageInfo();
    expect([empty.startCursor(), empty.endCursor(), empty.hasNextPage]).toEqual([null, null, false]);
    const probe = Connection.of(rows(1), 0, counting().cursorOf);
    expect(probe.nodes()).toEqual([]);
    expect([probe.pageInfo().hasNextPage, probe.pageInfo().endCursor()]).toEqual([true, null]);
  });

  it('makes a cursor only when one is asked for, never for the extra row', () => {
    const { made, cursorOf } = counting();
    const page = Connection.of(rows(4), 3, cursorOf);
    page.nodes();
    const edges = page.edges();
    page.pageInfo();
    expect(made).toEqual([]);
    expect(edges[1]?.cursor()).toBe('c:r2');
    expect(page.pageInfo().endCursor()).toBe('c:r3');
    expect(made).toEqual(['r2', 'r3']);
  });
});
