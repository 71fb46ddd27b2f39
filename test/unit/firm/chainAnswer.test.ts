import { describe, expect, it } from 'vitest';
import { combine, further, matchesTarget, NO, UNKNOWN, yes } from '../../../subgraphs/firm/traceability/chainAnswer.js';

describe('chain answers (ESS: YES beats UNKNOWN beats NO)', () => {
  it('combines branches', () => {
    expect(combine([])).toEqual(NO);
    expect(combine([NO, NO])).toEqual(NO);
    expect(combine([NO, UNKNOWN])).toEqual(UNKNOWN);
    expect(combine([UNKNOWN, yes(4), NO, yes(2)])).toEqual(yes(2));
  });
  it('adds the hops of the tier that passes a YES on, and leaves NO and UNKNOWN as they are', () => {
    expect(further(yes(0), 1)).toEqual(yes(1));
    expect(further(yes(2), 3)).toEqual(yes(5));
    expect(further(NO, 1)).toEqual(NO);
    expect(further(UNKNOWN, 1)).toEqual(UNKNOWN);
  });
  it('matches a lot against the firm, part, lot ids and status asked for', () => {
    const lot = { lotId: 'alumill-L0005', partId: 'alumill-P01', status: 'QUARANTINED' };
    expect(matchesTarget('alumill', lot, { firmId: 'alumill' })).toBe(true);
    expect(matchesTarget('precimach', lot, { firmId: 'alumill' })).toBe(false);
    expect(matchesTarget('alumill', lot, { firmId: 'alumill', partId: 'alumill-P01' })).toBe(true);
    expect(matchesTarget('alumill', lot, { firmId: 'alumill', partId: 'alumill-P02' })).toBe(false);
    expect(matchesTarget('alumill', lot, { firmId: 'alumill', lotIds: ['alumill-L0005'] })).toBe(true);
    expect(matchesTarget('alumill', lot, { firmId: 'alumill', lotIds: ['alumill-L0006'] })).toBe(false);
    expect(matchesTarget('alumill', lot, { firmId: 'alumill', lotStatus: 'QUARANTINED' })).toBe(true);
    expect(matchesTarget('alumill', lot, { firmId: 'alumill', lotStatus: 'RELEASED' })).toBe(false);
  });
});
