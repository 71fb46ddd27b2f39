import { describe, expect, it } from 'vitest';
import { validateAccessRequestInput, type AccessRequestInput } from '../../../subgraphs/firm/agreements/validateAccessRequestInput.js';
import { dataModelFromSdl } from '../../../schema/model.js';
import { subgraphSdl } from '../../../schema/supergraph.js';

const model = dataModelFromSdl(subgraphSdl('firm'));
const base: AccessRequestInput = { types: ['Shipment'], fields: ['eta', 'status'], purpose: 'planning', days: 30 };
const check = (over: Partial<AccessRequestInput>, purposes?: string[]) =>
  validateAccessRequestInput({ ...base, ...over }, model, purposes ? { purposes } : {});

describe('validateAccessRequestInput', () => {
  it('accepts governed types with fields of every type or ["*"], trimming and deduplicating', () => {
    expect(check({ note: '  for Q3  ', types: ['Shipment', 'Shipment'] })).toEqual({
      ok: true,
      value: { types: ['Shipment'], fields: ['eta', 'status'], purpose: 'planning', days: 30, note: 'for Q3' },
    });
    expect(check({ types: ['Lot', 'Shipment'], fields: ['status'] }).ok).toBe(true);
    expect(check({ types: ['Lot', 'Part'], fields: ['*'], days: 365, note: 'x'.repeat(1000) }).ok).toBe(true);
    expect(check({ note: '   ' })).toMatchObject({ ok: true, value: { note: null } });
  });

  it('refuses, naming the key', () => {
    const cases: Array<[Partial<AccessRequestInput>, string, RegExp]> = [
      [{ types: [] }, 'types', /at least one/],
      [{ types: ['Firm'] }, 'types', /Firm is not a governed type/],
      [{ types: ['LotRef'] }, 'types', /LotRef/],
      [{ fields: [] }, 'fields', /at least one field/],
      [{ fields: ['*', 'eta'] }, 'fields', /cannot be combined/],
      [{ types: ['Lot', 'Shipment'], fields: ['eta'] }, 'fields', /Lot has no field eta/],
      [{ purpose: '  ' }, 'purpose', /must not be empty/],
      [{ purpose: 'p'.repeat(201) }, 'purpose', /at most 200/],
      [{ days: 0 }, 'days', /1 to 365/],
      [{ days: 366 }, 'days', /1 to 365/],
      [{ days: 1.5 }, 'days', /whole number/],
      [{ note: 'x'.repeat(1001) }, 'note', /at most 1000/],
    ];
    for (const [over, key, message] of cases) {
      const result = check(over);
      expect(result).toMatchObject({ ok: false, key });
      if (!result.ok) {
        expect(result.message).toMatch(message);
        expect(result.message.startsWith(`input.${key}:`)).toBe(true);
      }
    }
  });

  it('checks the purpose against the cluster vocabulary when there is one', () => {
    expect(check({}, ['planning', 'quality']).ok).toBe(true);
    expect(check({ purpose: 'marketing' }, ['planning', 'quality'])).toMatchObject({ ok: false, key: 'purpose' });
  });
});
