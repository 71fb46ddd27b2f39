import { describe, expect, it } from 'vitest';
import { namedTo } from '../../../subgraphs/firm/notifications/notificationDisclosure.js';

describe('namedTo: whom a progress report names', () => {
  it('names the firm that changed only to a firm on its own list', () => {
    expect(namedTo('skyframe', 'alumill', ['avionix', 'skyframe'])).toBe('alumill');
    expect(namedTo('skyframe', 'precimach', ['avionix'])).toBeNull();
  });

  it('names nobody without a list, or when the report reached this firm unnamed', () => {
    expect(namedTo('skyframe', 'alumill', null)).toBeNull();
    expect(namedTo('skyframe', 'alumill', [])).toBeNull();
    expect(namedTo('skyframe', null, ['skyframe'])).toBeNull();
  });
});
