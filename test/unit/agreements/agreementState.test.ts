import { describe, expect, it } from 'vitest';
import { agreementState } from '../../../subgraphs/firm/agreements/agreementState.js';

const now = new Date('2026-03-10T00:00:00.000Z');
const member = (id: string) => id !== 'gone';
const row = (state: 'ACTIVE' | 'REVOKED' | 'ENDED', holderId: string, validUntil: string) => ({ state, holderId, validUntil: new Date(validUntil) });

describe('agreementState', () => {
  it('reads ACTIVE, EXPIRED at validUntil, ENDED when the holder left, stored REVOKED/ENDED first', () => {
    expect(agreementState(row('ACTIVE', 'avionix', '2026-04-01T00:00:00Z'), now, member)).toBe('ACTIVE');
    expect(agreementState(row('ACTIVE', 'avionix', '2026-03-10T00:00:00Z'), now, member)).toBe('EXPIRED');
    expect(agreementState(row('ACTIVE', 'gone', '2026-04-01T00:00:00Z'), now, member)).toBe('ENDED');
    expect(agreementState(row('ACTIVE', 'gone', '2026-03-01T00:00:00Z'), now, member)).toBe('EXPIRED');
    expect(agreementState(row('REVOKED', 'gone', '2026-03-01T00:00:00Z'), now, member)).toBe('REVOKED');
    expect(agreementState(row('ENDED', 'avionix', '2026-04-01T00:00:00Z'), now, member)).toBe('ENDED');
  });
});
