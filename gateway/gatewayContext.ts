import type { IncomingMessage } from 'node:http';
import { GraphQLError } from 'graphql';
import type { Directory } from '../cluster/directory.js';
import { AuthError } from '../identity/authError.js';
import type { Caller } from '../identity/caller.js';
import { bearerToken } from '../identity/userToken.js';
import { firmHint, tokenAdvice, type TokenAdviceOptions } from './tokenAdvice.js';
import { verifyCallerToken } from '../identity/callerToken.js';

/** What the gateway knows of a request: the verified caller and the token to forward. */
export interface GatewayContext {
  caller: Caller;
  token: string;
  /** The request's deadline (`requestTimeoutMs`), set by the gateway: aborts when it passes. */
  deadline?: AbortSignal;
}


/**
 * Verifies the user's token at the gateway (the subgraphs verify it again themselves).
 * No token or a bad one: 401 with a stable code, before any planning or fetch (503
 * ISSUER_KEYS_UNAVAILABLE when an identity provider's keys cannot be had). Without a token, the
 * message says how a user of the firm the request names (`x-dataspace-firm`) gets one.
 * @example const { caller, token } = await gatewayContext(req, directory.current());
 */
export async function gatewayContext(req: IncomingMessage, directory: Directory | undefined, advice: TokenAdviceOptions = {}): Promise<GatewayContext> {
  if (!directory) {
    throw new GraphQLError('The cluster directory is not available yet; try again shortly.', {
      extensions: { code: 'DIRECTORY_UNAVAILABLE', http: { status: 503 } },
    });
  }
  try {
    const header = req.headers.authorization;
    const token = bearerToken(Array.isArray(header) ? header[0] : header);
    if (!token) throw new AuthError('UNAUTHENTICATED', tokenAdvice(directory, firmHint(req.headers), advice));
    return { caller: await verifyCallerToken(token, directory), token };
  } catch (err) {
    if (err instanceof AuthError) {
      throw new GraphQLError(err.message, { extensions: { code: err.code, http: { status: err.httpStatus } } });
    }
    throw err;
  }
}
