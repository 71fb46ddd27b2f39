import { describe, expect, it } from 'vitest';
import { checkRepresentations, MAX_KEY_LENGTH } from '../../../subgraphs/representations/checkRepresentations.js';

const KEYS = new Map([
  ['Lot', ['firmId', 'lotId']],
  ['Firm', ['id']],
]);
const LOT = { __typename: 'Lot', firmId: 'structura', lotId: 'structura-L0001' };

/** The refusal for `value`, as message and extensions. */
function refusal(value: unknown): { message: string; extensions: Record<string, unknown> } {
  try {
    checkRepresentations(value, KEYS);
  } catch (e) {
    const { message, extensions } = e as { message: string; extensions: Record<string, unknown> };
    return { message, extensions };
  }
  throw new Error(`accepted: ${JSON.stringify(value)?.slice(0, 80)}`);
}

function deepList(depth: number): unknown {
  let v: unknown = 'structura-L0001';
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

describe('checkRepresentations', () => {
  it('returns fresh representations holding only __typename and the key fields', () => {
    const nullProto = Object.assign(Object.create(null) as Record<string, unknown>, { __typename: 'Firm', id: 'structura' });
    const out = checkRepresentations([LOT, nullProto], KEYS);
    expect(out).toEqual([LOT, { __typename: 'Firm', id: 'structura' }]);
    expect(out[0]).not.toBe(LOT);
  });

  it('coerces a single representation into a list of one, as GraphQL does', () => {
    expect(checkRepresentations(LOT, KEYS)).toEqual([LOT]);
  });

  it('names the index and the field of a key that is an object, without converting it', () => {
    const r = refusal([LOT, LOT, LOT, { ...LOT, lotId: { toString: 1 } }]);
    expect(r.message).toBe('representations[3].lotId must be a string (an ID), not an object.');
    expect(r.extensions).toEqual({ code: 'BAD_USER_INPUT', index: 3, field: 'lotId' });
  });

  it('refuses a 20,000-deep list as a key without walking into it', () => {
    expect(refusal([{ ...LOT, lotId: deepList(20_000) }]).message).toBe('representations[0].lotId must be a string (an ID), not a list.');
  });

  it('says that an owner given as a list is not a string', () => {
    expect(refusal([{ ...LOT, firmId: ['structura'] }]).message).toBe('representations[0].firmId must be a string (an ID), not a list.');
  });

  it.each([
    [30, 'representations[0] must be an object with __typename and the type\'s key fields, not a number.'],
    [null, 'representations[0] must be an object with __typename and the type\'s key fields, not null.'],
    [[LOT], 'representations[0] must be an object with __typename and the type\'s key fields, not a list.'],
    [new Date(0), 'representations[0] must be an object with __typename and the type\'s key fields, not an object.'],
    [{ firmId: 's', lotId: 'l' }, 'representations[0].__typename must be a string naming an entity type, not missing.'],
    [{ ...LOT, __typename: ['Lot'] }, 'representations[0].__typename must be a string naming an entity type, not a list.'],
    [{ ...LOT, __typename: 'Query' }, 'representations[0].__typename "Query" is not an entity type this subgraph resolves (Lot, Firm).'],
    [{ ...LOT, __typename: 'toString' }, 'representations[0].__typename "toString" is not an entity type this subgraph resolves (Lot, Firm).'],
    [{ __typename: 'Lot', firmId: 'structura' }, 'representations[0].lotId is missing: a Lot representation carries __typename and firmId, lotId.'],
    [{ ...LOT, lotId: undefined }, 'representations[0].lotId must be a string (an ID), not missing.'],
    [{ ...LOT, lotId: 7 }, 'representations[0].lotId must be a string (an ID), not a number.'],
    [{ ...LOT, lotId: true }, 'representations[0].lotId must be a string (an ID), not a boolean.'],
    [{ ...LOT, lotId: null }, 'representations[0].lotId must be a string (an ID), not null.'],
    [{ ...LOT, lotId: '' }, 'representations[0].lotId must not be empty.'],
    [{ ...LOT, lotId: 'x'.repeat(MAX_KEY_LENGTH + 1) }, `representations[0].lotId is ${MAX_KEY_LENGTH + 1} characters long; an ID has at most ${MAX_KEY_LENGTH}.`],
    [{ ...LOT, lotId: 'L\u0000' }, 'representations[0].lotId contains a control character (U+0000).'],
    [{ ...LOT, status: 'RELEASED' }, 'representations[0] has a property "status" that is not a key field of Lot: a representation carries only __typename and firmId, lotId.'],
    [JSON.parse('{"__typename":"Lot","firmId":"s","lotId":"l","__proto__":{"x":1}}'), 'representations[0] has a property "__proto__" that is not a key field of Lot: a representation carries only __typename and firmId, lotId.'],
  ])('refuses %j with a message that says what is wrong', (rep, message) => {
    expect(refusal([rep]).message).toBe(message);
    expect(refusal([rep]).extensions.code).toBe('BAD_USER_INPUT');
  });

  it('accepts a key of the longest length', () => {
    expect(checkRepresentations([{ ...LOT, lotId: 'x'.repeat(MAX_KEY_LENGTH) }], KEYS)).toHaveLength(1);
  });

  it('cuts long names short in messages', () => {
    const r = refusal([{ ...LOT, __typename: 'T'.repeat(10_000) }]);
    expect(r.message.length).toBeLessThan(200);
  });

  it('refuses an object whose toString throws, without calling it', () => {
    const hostile = { toString: () => { throw new Error('called'); }, valueOf: () => { throw new Error('called'); } };
    expect(refusal([{ ...LOT, firmId: hostile }]).message).toBe('representations[0].firmId must be a string (an ID), not an object.');
    expect(refusal([hostile]).message).toBe('representations[0].__typename must be a string naming an entity type, not missing.');
  });
});
