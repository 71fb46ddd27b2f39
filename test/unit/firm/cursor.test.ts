import fc from 'fast-check';
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, listTag, MAX_CURSOR_LENGTH, type CursorList } from '../../../subgraphs/firm/paging/cursor.js';
import { pageStart } from '../../../subgraphs/firm/paging/pageStart.js';

const LOTS: CursorList = { firmId: 'avionix', field: 'Firm.lotsConnection', filters: { status: 'RELEASED', partId: undefined } };
const TAG = listTag(LOTS);
const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');
/** A cursor's content, written by hand. */
const raw = (payload: unknown): string => b64(JSON.stringify(payload));

describe('cursor: encode and decode', () => {
  it('reads back the sort key it was made with, for ids and sequence numbers', () => {
    expect(decodeCursor(encodeCursor(TAG, 'avionix-L0000042'), TAG, 'id')).toEqual({ ok: true, key: 'avionix-L0000042' });
    expect(decodeCursor(encodeCursor(TAG, 17), TAG, 'seq')).toEqual({ ok: true, key: 17 });
    const id = fc.string({ minLength: 1, maxLength: 256, unit: 'grapheme' }).filter((s) => s.length <= 256 && !/[\u0000-\u001f\u007f]/.test(s));
    fc.assert(fc.property(id, (key) => {
      expect(decodeCursor(encodeCursor(TAG, key), TAG, 'id')).toEqual({ ok: true, key });
    }));
    fc.assert(fc.property(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), (key) => {
      expect(decodeCursor(encodeCursor(TAG, key), TAG, 'seq')).toEqual({ ok: true, key });
    }));
  });

  it('is opaque base64url of a versioned JSON document: {"v":1,"l":<list tag>,"k":<sort key>}', () => {
    const cursor = encodeCursor(TAG, 'avionix-L0000042');
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))).toEqual({ v: 1, l: TAG, k: 'avionix-L0000042' });
    expect(TAG).toMatch(/^[A-Za-z0-9_-]{16}$/);
  });

  it.each([
    ['empty', ''],
    ['too long', 'A'.repeat(MAX_CURSOR_LENGTH + 1)],
    ['not base64url', 'eyJ2IjoxfQ=='],
    ['not base64url either', 'abc def'],
    ['non-canonical base64url (stray bits: "eR" reads as "y", as "eQ" does)', 'eR'],
    ['not JSON', b64('{"v":1,')],
    ['JSON, not an object', raw([1, TAG, 'k'])],
    ['null', raw(null)],
    ['another version', raw({ v: 2, l: TAG, k: 'k' })],
    ['version as a string', raw({ v: '1', l: TAG, k: 'k' })],
    ['a missing member', raw({ v: 1, l: TAG })],
    ['an extra member', raw({ v: 1, l: TAG, k: 'k', x: 0 })],
    ['no list tag', raw({ v: 1, l: 42, k: 'k' })],
    ['a list tag of another length', raw({ v: 1, l: 'abc', k: 'k' })],
    ['an id that is a number', raw({ v: 1, l: TAG, k: 42 })],
    ['an empty id', raw({ v: 1, l: TAG, k: '' })],
    ['an id over 256 characters', raw({ v: 1, l: TAG, k: 'x'.repeat(257) })],
    ['an id with a control character', raw({ v: 1, l: TAG, k: 'a\nb' })],
  ])('refuses a malformed cursor (%s) as CURSOR_MALFORMED', (_why, text) => {
    const r = decodeCursor(text, TAG, 'id');
    expect(r).toMatchObject({ ok: false, reason: 'CURSOR_MALFORMED' });
    expect(r.ok ? '' : r.message).toMatch(/^after is not a cursor of this data space \(.+\): pass a pageInfo\.endCursor/);
  });

  it('reads only canonical base64url: one cursor has one text', () => {
    const good = encodeCursor(TAG, 'avionix-L0000042');
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    // the same bytes with other unused bits in the last character
    const twins = [...alphabet].map((c) => `${good.slice(0, -1)}${c}`).filter((t) => t !== good && Buffer.from(t, 'base64url').equals(Buffer.from(good, 'base64url')));
    expect(good.length % 4).not.toBe(0);
    expect(twins.length).toBeGreaterThan(0);
    for (const t of twins) expect(decodeCursor(t, TAG, 'id')).toMatchObject({ ok: false, reason: 'CURSOR_MALFORMED', message: expect.stringContaining('canonical') });
  });

  it('refuses a sequence number that is not a positive safe integer', () => {
    for (const k of [0, -1, 1.5, Number.MAX_SAFE_INTEGER + 1, '3']) expect(decodeCursor(raw({ v: 1, l: TAG, k }), TAG, 'seq')).toMatchObject({ ok: false, reason: 'CURSOR_MALFORMED' });
  });

  it('refuses a well-formed cursor of another list as CURSOR_FOREIGN, whatever its key', () => {
    const others: CursorList[] = [
      { ...LOTS, firmId: 'structura' },
      { ...LOTS, field: 'Firm.shipmentsConnection' },
      { ...LOTS, field: 'Part.lotsConnection', parent: 'avionix-P00001' },
      { ...LOTS, filters: { status: 'QUARANTINED' } },
      { ...LOTS, filters: {} },
      { ...LOTS, filters: { status: 'RELEASED', partId: 'avionix-P00001' } },
    ];
    for (const other of others) {
      expect(decodeCursor(encodeCursor(listTag(other), 'avionix-L0000042'), TAG, 'id')).toMatchObject({ ok: false, reason: 'CURSOR_FOREIGN' });
      expect(decodeCursor(encodeCursor(listTag(other), 7), TAG, 'id')).toMatchObject({ ok: false, reason: 'CURSOR_FOREIGN' });
    }
  });

  it('never throws and never echoes its input; whatever it accepts is a cursor it would have made', () => {
    const text = fc.oneof(fc.string({ maxLength: 600 }), fc.base64String({ maxLength: 600 }), fc.json().map(b64), fc.string().map(b64));
    fc.assert(
      fc.property(text, (t) => {
        const r = decodeCursor(t, TAG, 'id');
        if (r.ok) expect(encodeCursor(TAG, r.key)).toBe(t);
        else if (t.length > 8) expect(r.message).not.toContain(t);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('listTag: which list a cursor is good for', () => {
  it('is the same for the same list, whatever the order of its filters and its absent ones', () => {
    expect(listTag({ firmId: 'avionix', field: 'Firm.lotsConnection', filters: { partId: null, status: 'RELEASED' } })).toBe(TAG);
    expect(listTag({ firmId: 'a', field: 'F.x', filters: { b: 1, a: 2 } })).toBe(listTag({ firmId: 'a', field: 'F.x', filters: { a: 2, b: 1 } }));
    expect(listTag({ firmId: 'a', field: 'F.x', filters: {} })).toBe(listTag({ firmId: 'a', field: 'F.x' }));
    expect(listTag({ firmId: 'a', field: 'F.x', filters: { from: new Date('2026-11-27T00:00:00Z') } })).toBe(
      listTag({ firmId: 'a', field: 'F.x', filters: { from: '2026-11-27T00:00:00.000Z' } }),
    );
  });

  it('differs by firm, field, parent and every filter value, without ambiguity between them', () => {
    const tags = [
      listTag({ firmId: 'a', field: 'F.x' }),
      listTag({ firmId: 'b', field: 'F.x' }),
      listTag({ firmId: 'a', field: 'F.y' }),
      listTag({ firmId: 'a', field: 'F.x', parent: 'p' }),
      listTag({ firmId: 'a', field: 'F.x', parent: 'q' }),
      listTag({ firmId: 'a', field: 'F.x', filters: { s: 'p' } }),
      listTag({ firmId: 'a', field: 'F.x', filters: { p: 's' } }),
      listTag({ firmId: 'a', field: 'F.x', filters: { s: 1 } }),
      listTag({ firmId: 'a', field: 'F.x', filters: { s: '1' } }),
      listTag({ firmId: 'a,F', field: 'x' }),
    ];
    expect(new Set(tags).size).toBe(tags.length);
  });
});

describe('pageStart: the after argument of a connection', () => {
  const ctx = { firmId: 'avionix' };
  const refusal = (after: unknown): GraphQLError => {
    try {
      pageStart(ctx, LOTS, after, 'id');
    } catch (e) {
      return e as GraphQLError;
    }
    throw new Error('accepted');
  };

  it('starts at the first page without after, and after the cursor\'s key with one', () => {
    expect(pageStart(ctx, LOTS, undefined, 'id')).toEqual({ tag: TAG });
    expect(pageStart(ctx, LOTS, null, 'id')).toEqual({ tag: TAG });
    expect(pageStart(ctx, LOTS, encodeCursor(TAG, 'avionix-L0000042'), 'id')).toEqual({ tag: TAG, after: 'avionix-L0000042' });
  });

  it('refuses a bad cursor with BAD_USER_INPUT, the argument and the stable reason, no stack', () => {
    const bad = refusal('garbage!');
    expect(bad).toBeInstanceOf(GraphQLError);
    expect(bad.extensions).toEqual({ code: 'BAD_USER_INPUT', firmId: 'avionix', argument: 'after', reason: 'CURSOR_MALFORMED' });
    expect(bad.stack ?? '').not.toMatch(/\.ts:\d+/);
    expect(refusal(12).extensions).toMatchObject({ reason: 'CURSOR_MALFORMED' });
    const foreign = refusal(encodeCursor(listTag({ ...LOTS, firmId: 'structura' }), 'structura-L0001'));
    expect(foreign.extensions).toEqual({ code: 'BAD_USER_INPUT', firmId: 'avionix', argument: 'after', reason: 'CURSOR_FOREIGN' });
    expect(foreign.message).toMatch(/^after is a cursor of another list/);
  });
});
