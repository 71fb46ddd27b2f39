import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Directory } from '../../cluster/directory.js';
import type { GraphQLRoute } from '../../http/startHttpServer.js';
import { sendGraphQLError, sendJson } from '../../http/jsonResponse.js';
import { AuthError } from '../../identity/authError.js';
import type { Caller } from '../../identity/caller.js';
import { TrustList } from '../../identity/trustList.js';
import { bearerToken, verifyUserToken } from '../../identity/userToken.js';
import { agreementsChanged } from './agreements/agreementCache.js';
import { importRows, type ImportFile } from './data/importRows.js';
import { decodeImportStream } from './data/importStream.js';
import type { FirmDb } from './db/firmDb.js';
import { WRITE_ROLE } from './ownerRole.js';

/**
 * Verifies the caller of `POST /import`: a user token of this very firm (verified against the
 * directory's trust list, as at `/firm`) with the role `integration`. Throws {@link AuthError}
 * (401) for a missing or bad token, and {@link ImportForbidden} (403) for another firm's user
 * or a user without the role.
 * @example const caller = await verifyImporter(req.headers.authorization, directory, 'titanforge');
 */
export async function verifyImporter(authorization: string | undefined, directory: Directory, firmId: string, now?: Date): Promise<Caller> {
  const token = bearerToken(authorization);
  if (token === undefined) throw new AuthError('UNAUTHENTICATED', `an import into ${firmId} needs a bearer token of one of its users with the role ${WRITE_ROLE}`);
  const caller = await verifyUserToken(token, TrustList.of(directory), directory.audience, now);
  if (caller.firmId !== firmId) throw new ImportForbidden(`only ${firmId}'s own users import into ${firmId}; this token is of ${caller.firmId}`);
  if (!caller.roles.includes(WRITE_ROLE)) throw new ImportForbidden(`an import into ${firmId} needs the role ${WRITE_ROLE}; this token has ${caller.roles.join(', ') || 'none'}`);
  return caller;
}

/** A verified caller who may not import (403 FORBIDDEN). */
export class ImportForbidden extends Error {
  override readonly name = 'ImportForbidden';
  readonly code = 'FORBIDDEN' as const;
}

/**
 * `POST /import[?dryRun=1]` of a firm: its own import while it runs (one writer on an embedded
 * database). The caller is verified before a byte of the body is read ({@link verifyImporter});
 * the NDJSON body (data/importStream.ts) is validated and applied in one transaction by
 * {@link importRows}, exactly as a direct import: 200 and the result, 422 `IMPORT_INVALID` and
 * the problems (nothing imported), 401/403 for a caller who may not, 405 for another method,
 * 503 before the firm has a directory to verify against.
 * @example routes: [..., importEndpoint({ firmId, db: database.db, directory })]
 */
export function importEndpoint(options: { firmId: string; db: FirmDb; directory: { current(): Directory | undefined } }): GraphQLRoute {
  const { firmId, db, directory } = options;
  const handle = async (req: IncomingMessage, res: ServerResponse, search: string): Promise<void> => {
    if (req.method !== 'POST') {
      sendGraphQLError(res, 405, 'METHOD_NOT_ALLOWED', 'POST an import (docs/import-format.md).', { allow: 'POST' });
      return;
    }
    const current = directory.current();
    if (!current) {
      sendGraphQLError(res, 503, 'DIRECTORY_UNAVAILABLE', 'The cluster directory is not available yet; try again shortly.');
      return;
    }
    let caller: Caller;
    try {
      caller = await verifyImporter(req.headers.authorization, current, firmId);
    } catch (error) {
      if (error instanceof AuthError) sendGraphQLError(res, error.httpStatus, error.code, error.message, error.httpStatus === 401 ? { 'www-authenticate': 'Bearer' } : {});
      else if (error instanceof ImportForbidden) sendGraphQLError(res, 403, error.code, error.message);
      else throw error;
      req.resume();
      return;
    }
    const files: ImportFile[] = [];
    const dryRun = new URLSearchParams(search).get('dryRun') === '1';
    const result = await importRows(db, decodeImportStream(req, files), {
      actor: { firmId, subject: caller.subject, roles: caller.roles },
      dryRun,
      files: () => files,
    });
    req.resume();
    if (result.ok && result.changes.some((c) => c.table === 'agreements')) agreementsChanged(db);
    sendJson(res, result.ok ? 200 : 422, result.ok ? result : { ok: false, code: 'IMPORT_INVALID', problems: result.problems });
  };
  return { path: '/import', handle };
}
