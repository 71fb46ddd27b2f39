import { describe, expect, it } from 'vitest';
import { DEADLINE_HEADER, requestDeadlineMs } from '../../../http/requestDeadline.js';

describe('requestDeadlineMs', () => {
  it('takes a shorter deadline the client asks for', () => {
    expect(requestDeadlineMs({ [DEADLINE_HEADER]: '1500' }, 15_000)).toBe(1500);
  });
  it('never lengthens the gateway deadline', () => {
    expect(requestDeadlineMs({ [DEADLINE_HEADER]: '60000' }, 15_000)).toBe(15_000);
  });
  it('ignores a missing, negative, zero, fractional or non-numeric value', () => {
    for (const v of [undefined, '-5', '0', '12.5', 'soon', '']) {
      expect(requestDeadlineMs(v === undefined ? {} : { [DEADLINE_HEADER]: v }, 15_000)).toBe(15_000);
    }
  });
});
