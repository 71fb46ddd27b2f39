import type { Directory } from '../cluster/directory.js';
import type { Caller } from './caller.js';
import { isFirmToken, verifyFirmToken } from './firmToken.js';
import { TrustList } from './trustList.js';
import { verifyUserToken } from './userToken.js';

/**
 * Verifies whoever calls: a user (a user token of a member's identity provider or key) or a
 * member firm speaking as itself (a firm token of its service key). The gateway and every
 * subgraph take both the same way; a policy tells them apart by the role `firm`.
 * Throws AuthError with the token's refusal code.
 * @example const caller = await verifyCallerToken(bearerToken(req.headers.authorization), directory);
 */
export async function verifyCallerToken(token: string | undefined, directory: Directory, now?: Date): Promise<Caller> {
  if (token !== undefined && token.length > 0 && isFirmToken(token)) return verifyFirmToken(token, directory, now);
  return verifyUserToken(token, TrustList.of(directory), directory.audience, now);
}
