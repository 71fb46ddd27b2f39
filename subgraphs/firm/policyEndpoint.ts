/**
 * `GET /policy`: a firm's published policy (the file verbatim, comments included), for the
 * members of its cluster only. Two kinds of caller may read it:
 * - a user of any member, with a valid user token (verified against the directory's trust list
 *   exactly as at `/firm`, with the same 401 codes);
 * - another member's subgraph process, reading it for give-to-get rules (peerPolicies.ts): a
 *   firm process holds no user-token key, only its service key, so it sends a reader token of
 *   that key (the directory's reader tokens, identity/directoryReaderToken.ts) addressed to this
 *   one firm's policy, verified against the member's service keys in the directory.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Directory } from '../../cluster/directory.js';
import { sendGraphQLError, sendJson } from '../../http/jsonResponse.js';
import { AuthError } from '../../identity/authError.js';
import type { Caller } from '../../identity/caller.js';
import { DIRECTORY_READER_TOKEN_TYPE, signDirectoryReaderToken, verifyDirectoryReaderToken, type DirectoryReader } from '../../identity/directoryReaderToken.js';
import { TrustList } from '../../identity/trustList.js';
import { bearerToken, verifyUserToken } from '../../identity/userToken.js';
import { decodeUnverified } from '../../identity/verifyEs256.js';
import type { PublishedPolicy } from './publishedPolicy.js';

/** Who read a policy: a member's user, or a member's subgraph process. */
export type PolicyReader = { kind: 'user'; caller: Caller } | { kind: 'firm'; firmId: string };

/**
 * The audience of a reader token for one firm's `/policy`: it is good there only (not at the
 * registry's `/directory`, not at another firm's `/policy`).
 * @example policyAudience('urn:dataspace:aero', 'structura'); // 'urn:dataspace:aero/firm/structura/policy'
 */
export function policyAudience(clusterAudience: string, firmId: string): string {
  return `${clusterAudience}/firm/${firmId}/policy`;
}

/**
 * A reader token with which `reader` (a firm, its service key) asks `peerId` for its policy.
 * @example headers.authorization = `Bearer ${policyReaderToken(reader, directory, 'avionix')}`;
 */
export function policyReaderToken(reader: DirectoryReader, directory: Directory, peerId: string): string {
  return signDirectoryReaderToken(reader, [policyAudience(directory.audience, peerId)]);
}

/**
 * Verifies the caller of firm `firmId`'s `/policy`: a member's user token, or a member
 * firm's reader token addressed to this policy. Throws {@link AuthError} (401):
 * UNAUTHENTICATED without a bearer token, and for a reader token TOKEN_INVALID or
 * ISSUER_UNTRUSTED (no member of that id, or a gateway) as for a user token.
 * @example const reader = await verifyPolicyReader(req.headers.authorization, directory, 'structura');
 */
export async function verifyPolicyReader(authorization: string | undefined, directory: Directory, firmId: string, now?: Date): Promise<PolicyReader> {
  const token = bearerToken(authorization);
  if (token === undefined) throw new AuthError('UNAUTHENTICATED', "a firm's policy is for the members of its cluster: send a bearer token");
  const unverified = decodeUnverified(token);
  if (unverified.ok && unverified.header.typ === DIRECTORY_READER_TOKEN_TYPE) {
    const read = verifyDirectoryReaderToken(token, directory, policyAudience(directory.audience, firmId), now);
    if (!read.ok) throw new AuthError(read.code === 'DIRECTORY_READER_UNKNOWN' ? 'ISSUER_UNTRUSTED' : read.code === 'UNAUTHENTICATED' ? 'UNAUTHENTICATED' : 'TOKEN_INVALID', read.message);
    if (read.reader.kind !== 'firm') throw new AuthError('ISSUER_UNTRUSTED', "a firm's policy is read by members, not by gateways");
    return { kind: 'firm', firmId: read.reader.id };
  }
  return { kind: 'user', caller: await verifyUserToken(token, TrustList.of(directory), directory.audience, now) };
}

/**
 * The `GET /policy` handler of firm `policy.firm`: 200 and the policy to a member, 401 with
 * the refusal's code (and `www-authenticate`) otherwise, 503 `DIRECTORY_UNAVAILABLE` before
 * the firm has a directory to verify against.
 * @example get: { '/policy': policyEndpoint(policy, directory) }
 */
export function policyEndpoint(policy: PublishedPolicy, directory: { current(): Directory | undefined }): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    const current = directory.current();
    if (!current) {
      sendGraphQLError(res, 503, 'DIRECTORY_UNAVAILABLE', 'The cluster directory is not available yet; try again shortly.');
      return;
    }
    try {
      await verifyPolicyReader(req.headers.authorization, current, policy.firm);
    } catch (error) {
      if (!(error instanceof AuthError)) throw error;
      sendGraphQLError(res, error.httpStatus, error.code, error.message, error.httpStatus === 401 ? { 'www-authenticate': 'Bearer' } : {});
      return;
    }
    sendJson(res, 200, { firm: policy.firm, format: policy.format, source: policy.source, version: policy.version }, { 'cache-control': 'no-store' });
  };
}
