import { describe, expect, it } from 'vitest';
import { matchesRow } from '../../../policies/matchesRow.js';
import { bindRowFilter, describeRowFilter, type BoundRowFilter, type RowFilter } from '../../../policies/rowFilter.js';

const cmp = (field: string, op: 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte', value: string | number | boolean): BoundRowFilter => ({ kind: 'cmp', field, op, value });

describe('matchesRow', () => {
  it('eq and ne on strings, numbers, booleans', () => {
    expect(matchesRow(cmp('s', 'eq', 'a'), { s: 'a' })).toBe(true);
    expect(matchesRow(cmp('s', 'eq', 'a'), { s: 'b' })).toBe(false);
    expect(matchesRow(cmp('s', 'ne', 'a'), { s: 'b' })).toBe(true);
    expect(matchesRow(cmp('n', 'eq', 3), { n: 3 })).toBe(true);
    expect(matchesRow(cmp('b', 'eq', true), { b: true })).toBe(true);
    expect(matchesRow(cmp('b', 'eq', true), { b: 'true' })).toBe(false);
  });

  it('orders numbers numerically, also when the driver returns numeric strings or bigints', () => {
    expect(matchesRow(cmp('n', 'gt', 9), { n: 10 })).toBe(true);
    expect(matchesRow(cmp('n', 'gt', 9), { n: '10.5' })).toBe(true);
    expect(matchesRow(cmp('n', 'lt', '9'), { n: 10 })).toBe(false);
    expect(matchesRow(cmp('n', 'lte', 10), { n: 10n })).toBe(true);
    expect(matchesRow(cmp('n', 'gte', 10), { n: 'ten' })).toBe(false);
  });

  it('compares dates as instants: Date objects, ISO strings, dates without time', () => {
    const literal = '2026-11-27T08:00:00.000Z';
    expect(matchesRow(cmp('at', 'eq', literal), { at: new Date(literal) })).toBe(true);
    expect(matchesRow(cmp('at', 'gt', '2026-11-27'), { at: new Date(literal) })).toBe(true);
    expect(matchesRow(cmp('at', 'lt', '2026-11-27T09:00:00+01:00'), { at: new Date(literal) })).toBe(false);
    expect(matchesRow(cmp('at', 'eq', '2026-11-27T09:00:00+01:00'), { at: literal })).toBe(true);
    expect(matchesRow(cmp('at', 'eq', '2026-11-27T08:00:00'), { at: literal })).toBe(true); // no zone: UTC
    expect(matchesRow(cmp('d', 'lte', '2026-12-01'), { d: '2026-11-30' })).toBe(true);
    expect(matchesRow(cmp('at', 'gt', 'soon'), { at: new Date(literal) })).toBe(false);
  });

  it('compares other strings by code point', () => {
    expect(matchesRow(cmp('s', 'lt', 'b'), { s: 'a' })).toBe(true);
    expect(matchesRow(cmp('s', 'gte', 'b'), { s: 'a' })).toBe(false);
  });

  it('null or absent values satisfy no comparison but ne (as the SQL translation)', () => {
    for (const op of ['eq', 'gt', 'gte', 'lt', 'lte'] as const) {
      expect(matchesRow(cmp('s', op, 'a'), { s: null })).toBe(false);
      expect(matchesRow(cmp('s', op, 'a'), {})).toBe(false);
    }
    expect(matchesRow(cmp('s', 'ne', 'a'), { s: null })).toBe(true);
    expect(matchesRow({ kind: 'cmp', field: 's', op: 'in', value: ['a'] }, {})).toBe(false);
  });

  it('in, and, or', () => {
    const f: BoundRowFilter = {
      kind: 'or',
      items: [
        { kind: 'cmp', field: 'status', op: 'in', value: ['HELD', 'DONE'] },
        { kind: 'and', items: [cmp('status', 'eq', 'RUNNING'), cmp('done', 'gt', 0)] },
      ],
    };
    expect(matchesRow(f, { status: 'DONE', done: 0 })).toBe(true);
    expect(matchesRow(f, { status: 'RUNNING', done: 5 })).toBe(true);
    expect(matchesRow(f, { status: 'RUNNING', done: 0 })).toBe(false);
    expect(matchesRow(f, { status: 'PLANNED', done: 5 })).toBe(false);
  });
});

describe('bindRowFilter and describeRowFilter', () => {
  const filter: RowFilter = {
    kind: 'and',
    items: [
      { kind: 'cmp', field: 'customerId', op: 'eq', value: { kind: 'callerFirm' } },
      { kind: 'cmp', field: 'buyerId', op: 'in', value: [{ kind: 'callerFirm' }, 'all'] },
      { kind: 'cmp', field: 'quantity', op: 'gte', value: 5 },
    ],
  };

  it('replaces $caller.firm everywhere, leaving literals', () => {
    expect(bindRowFilter(filter, { callerFirm: 'skyframe' })).toEqual({
      kind: 'and',
      items: [
        { kind: 'cmp', field: 'customerId', op: 'eq', value: 'skyframe' },
        { kind: 'cmp', field: 'buyerId', op: 'in', value: ['skyframe', 'all'] },
        { kind: 'cmp', field: 'quantity', op: 'gte', value: 5 },
      ],
    });
  });

  it('describes filters bound or not', () => {
    expect(describeRowFilter(filter)).toBe('(customerId = $caller.firm and buyerId in ($caller.firm, "all") and quantity >= 5)');
    expect(describeRowFilter(bindRowFilter(filter, { callerFirm: 'skyframe' }))).toBe('(customerId = "skyframe" and buyerId in ("skyframe", "all") and quantity >= 5)');
    expect(describeRowFilter({ kind: 'or', items: [cmp('a', 'ne', true), cmp('b', 'lt', 1)] })).toBe('(a != true or b < 1)');
  });
});
