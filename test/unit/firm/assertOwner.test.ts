import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { assertOwner } from '../../../subgraphs/firm/entityAccess.js';
import type { FirmContext } from '../../../subgraphs/firm/firmContext.js';

// assertOwner reads only the firm's own id from the context.
const ctx = { firmId: 'structura' } as FirmContext;

function refusal(owner: unknown, field?: string): GraphQLError {
  try {
    assertOwner(ctx, 'Lot', owner, field);
  } catch (e) {
    return e as GraphQLError;
  }
  throw new Error('accepted');
}

describe('assertOwner', () => {
  it('accepts the firm itself', () => {
    expect(() => assertOwner(ctx, 'Lot', 'structura')).not.toThrow();
  });

  it('refuses another firm with OWNER_MISMATCH naming both', () => {
    const e = refusal('skyframe');
    expect(e.message).toBe('Firm structura does not own Lot of firm skyframe; it answers only for its own rows.');
    expect(e.extensions).toEqual({ code: 'OWNER_MISMATCH', firmId: 'structura', type: 'Lot' });
  });

  it('says that an owner given as a list is not a string, instead of "does not own Lot of firm structura"', () => {
    const e = refusal(['structura']);
    expect(e.message).toBe('The owner of a Lot (firmId) must be a string (an ID), not a list.');
    expect(e.extensions).toEqual({ code: 'BAD_USER_INPUT', firmId: 'structura' });
  });

  it('never converts the owner: an object with a hostile toString, a deep list, a missing owner', () => {
    let deep: unknown = 'structura';
    for (let i = 0; i < 20_000; i++) deep = [deep];
    expect(refusal({ toString: () => 'structura' }).message).toBe('The owner of a Lot (firmId) must be a string (an ID), not an object.');
    expect(refusal(deep).message).toBe('The owner of a Lot (firmId) must be a string (an ID), not a list.');
    expect(refusal(undefined, 'id').message).toBe('The owner of a Lot (id) must be a string (an ID), not missing.');
  });

  it('cuts a long claimed owner short', () => {
    expect(refusal('x'.repeat(10_000)).message.length).toBeLessThan(200);
  });
});
