/**
 * Refusals of authentication: a small, stable set of codes that clients may rely on.
 * Messages are safe to show to a client: they never contain key material nor echo a token.
 */

/** The stable codes of an {@link AuthError}. */
export type AuthErrorCode =
  | 'UNAUTHENTICATED'
  | 'TOKEN_INVALID'
  | 'TOKEN_EXPIRED'
  | 'TOKEN_LIFETIME_TOO_LONG'
  | 'ISSUER_UNTRUSTED'
  | 'ISSUER_KEYS_UNAVAILABLE'
  | 'FIRM_MISMATCH'
  | 'GATEWAY_CREDENTIAL_REQUIRED'
  | 'GATEWAY_CREDENTIAL_INVALID';

const DEFAULT_MESSAGES: Record<AuthErrorCode, string> = {
  UNAUTHENTICATED: 'authentication required: send a bearer token',
  TOKEN_INVALID: 'the token is invalid',
  TOKEN_EXPIRED: 'the token has expired',
  TOKEN_LIFETIME_TOO_LONG: "the token lives longer than its issuer's maximum token lifetime",
  ISSUER_UNTRUSTED: "the token's issuer is not a trusted member of this cluster",
  ISSUER_KEYS_UNAVAILABLE: "the keys of the token's issuer cannot be fetched right now; try again later",
  FIRM_MISMATCH: "the token's firm is not the firm of its issuer",
  GATEWAY_CREDENTIAL_REQUIRED: 'this subgraph only answers calls that come through a trusted gateway',
  GATEWAY_CREDENTIAL_INVALID: 'the gateway credential is invalid',
};

/**
 * An authentication refusal: HTTP 401, except ISSUER_KEYS_UNAVAILABLE (503: the token may be
 * good, but its identity provider's keys cannot be fetched; the caller should retry, not sign in again).
 *
 * @example
 * ```ts
 * throw new AuthError('TOKEN_EXPIRED');
 * throw new AuthError('TOKEN_INVALID', 'the token is invalid: wrong audience');
 * ```
 */
export class AuthError extends Error {
  override readonly name = 'AuthError';
  readonly code: AuthErrorCode;
  readonly httpStatus: 401 | 503;

  constructor(code: AuthErrorCode, message: string = DEFAULT_MESSAGES[code]) {
    super(message);
    this.code = code;
    this.httpStatus = code === 'ISSUER_KEYS_UNAVAILABLE' ? 503 : 401;
  }

  /** The `extensions` of a GraphQL error for this refusal. */
  get extensions(): { code: AuthErrorCode; http: { status: 401 | 503 } } {
    return { code: this.code, http: { status: this.httpStatus } };
  }
}

/**
 * Whether a value is an {@link AuthError} (also across duplicated module instances).
 *
 * @example
 * ```ts
 * if (isAuthError(error)) reply(error.httpStatus, error.code);
 * ```
 */
export function isAuthError(value: unknown): value is AuthError {
  if (value instanceof AuthError) return true;
  if (!(value instanceof Error) || value.name !== 'AuthError') return false;
  const code: unknown = (value as Error & { code?: unknown }).code;
  return typeof code === 'string' && Object.hasOwn(DEFAULT_MESSAGES, code);
}
