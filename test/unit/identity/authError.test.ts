import { describe, expect, it } from 'vitest';
import { AuthError, isAuthError } from '../../../identity/authError.js';

describe('AuthError', () => {
  it('carries a stable code, HTTP 401 and GraphQL extensions', () => {
    const error = new AuthError('TOKEN_EXPIRED');
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe('TOKEN_EXPIRED');
    expect(error.httpStatus).toBe(401);
    expect(error.message).toBe('the token has expired');
    expect(error.extensions).toEqual({ code: 'TOKEN_EXPIRED', http: { status: 401 } });
    expect(isAuthError(error)).toBe(true);
    expect(isAuthError(new Error('x'))).toBe(false);
  });
});
