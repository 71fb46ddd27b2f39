import type { IncomingMessage, ServerResponse } from 'node:http';
import { DIRECTORY_MEDIA_TYPE } from '../../cluster/directoryDocument.js';
import { sendGraphQLError } from '../../http/jsonResponse.js';
import { verifyDirectoryReaderToken } from '../../identity/directoryReaderToken.js';
import { bearerToken } from '../../identity/userToken.js';
import type { DirectorySigner } from './directorySigner.js';
import type { DirectorySource } from './directorySource.js';

/**
 * `GET /directory`: the directory signed with the operator's key, for members and gateways
 * only. The reader token (`authorization: Bearer`) is verified against the registry's own
 * current directory; anonymous, unknown or invalid: 401 with a stable code
 * (`UNAUTHENTICATED`, `DIRECTORY_READER_UNKNOWN`, `DIRECTORY_READER_INVALID`), and nothing
 * of the directory.
 * @example get: { '/directory': directoryRoute(source, new DirectorySigner({ privateKeyPem })) }
 */
export function directoryRoute(source: DirectorySource, signer: DirectorySigner): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const directory = source.current();
    const header = req.headers.authorization;
    const read = verifyDirectoryReaderToken(bearerToken(Array.isArray(header) ? header[0] : header), directory, signer.audience);
    if (!read.ok) {
      sendGraphQLError(res, 401, read.code, read.message, { 'www-authenticate': 'Bearer' });
      return;
    }
    const body = signer.documentFor(directory);
    res.writeHead(200, { 'content-type': DIRECTORY_MEDIA_TYPE, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
    res.end(body);
  };
}
