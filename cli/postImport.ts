import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { ImportFile, ImportResult, ImportRow } from '../subgraphs/firm/data/importRows.js';
import { encodeImportStream } from '../subgraphs/firm/data/importStream.js';

/**
 * Why the running firm did not take the upload (not a refusal of the rows: those come back as
 * problems). A refused token (401, 403) has code `TOKEN_INVALID` (exit 2, like bad
 * configuration); a firm that cannot be reached or answers oddly `IMPORT_UPLOAD_FAILED` (exit 1).
 */
export class ImportUploadError extends Error {
  override readonly name = 'ImportUploadError';
  readonly code: 'TOKEN_INVALID' | 'IMPORT_UPLOAD_FAILED';
  constructor(
    message: string,
    readonly status: number,
    /** The firm's own code (`FORBIDDEN`, `TOKEN_EXPIRED`...), or `UNREACHABLE`. */
    readonly firmCode: string,
  ) {
    super(message);
    this.code = status === 401 || status === 403 ? 'TOKEN_INVALID' : 'IMPORT_UPLOAD_FAILED';
  }
}

function readAll(res: IncomingMessage): Promise<string> {
  return new Promise((done, fail) => {
    let text = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => (text += chunk));
    res.on('end', () => done(text));
    res.on('error', fail);
  });
}

/**
 * Streams an import's rows to the running firm's `POST /import` (subgraphs/firm/importEndpoint.ts)
 * as NDJSON, with a user token of the firm (role `integration`), and resolves with the
 * firm's answer: the result, or the problems. An https:// firm is trusted through
 * NODE_EXTRA_CA_CERTS like every outbound call. A refused caller (401, 403) or a firm that
 * cannot be reached rejects with {@link ImportUploadError}.
 * @example const result = await postImport('http://127.0.0.1:4110', token, rows, files, { dryRun: false });
 */
export async function postImport(firmUrl: string, token: string, rows: AsyncIterable<ImportRow>, files: () => readonly ImportFile[], options: { dryRun: boolean }): Promise<ImportResult> {
  const url = new URL(`/import${options.dryRun ? '?dryRun=1' : ''}`, firmUrl);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<ImportResult>((done, fail) => {
    const req = send(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson' } }, (res) => {
      readAll(res)
        .then((text) => {
          let body: { ok?: boolean; problems?: unknown; errors?: Array<{ message?: string; extensions?: { code?: string } }> };
          try {
            body = JSON.parse(text) as typeof body;
          } catch {
            fail(new ImportUploadError(`the firm at ${firmUrl} answered ${res.statusCode ?? '?'} without JSON`, res.statusCode ?? 0, 'BAD_RESPONSE'));
            return;
          }
          if (res.statusCode === 200 || res.statusCode === 422) {
            done(body as ImportResult);
            return;
          }
          const error = body.errors?.[0];
          fail(new ImportUploadError(`the firm at ${firmUrl} refused the import (${res.statusCode ?? '?'} ${error?.extensions?.code ?? ''}): ${error?.message ?? text}`, res.statusCode ?? 0, error?.extensions?.code ?? 'UNKNOWN'));
        })
        .catch(fail);
    });
    req.on('error', (error) => fail(new ImportUploadError(`cannot reach the firm at ${firmUrl}: ${error.message}`, 0, 'UNREACHABLE')));
    (async () => {
      for await (const chunk of encodeImportStream(rows, files)) {
        if (!req.write(chunk)) await new Promise((resume) => req.once('drain', resume));
      }
      req.end();
    })().catch((error: unknown) => {
      req.destroy(error instanceof Error ? error : new Error(String(error)));
      fail(error);
    });
  });
}
