import type { Readable } from 'node:stream';
import { JSONParser } from '@streamparser/json';
import type { AccessLogContent } from '../accessLog/canonicalEntry.js';
import { hashEntry } from '../accessLog/hashEntry.js';
import { GENESIS_HASH } from '../hashChain/chainHash.js';
import { ChainVerifier, type ChainHead, type ChainLinks, type ChainVerification } from '../hashChain/chainVerifier.js';
import { hashWriteEntry, type WriteLogContent } from '../writeLog/writeLogEntry.js';

/** The archive of an export checked offline: each chained log against its head, and what the export itself said. */
export interface ArchiveVerification {
  firmId: string | undefined;
  accessLog: ChainVerification;
  /** Null for an export written before the write log was exported. */
  writeLog: ChainVerification | null;
  /** The export's own `verification` and `writeLogVerification`, as written at export time. */
  stated: { accessLog: unknown; writeLog: unknown };
}

type Row = Record<string, unknown>;
const asEntry = <E>(row: Row): E => ({ ...row, at: new Date(String(row.at)) }) as E;
const headOf = (value: unknown): ChainHead => {
  const h = value as { seq?: unknown; hash?: unknown } | null;
  return h && typeof h.seq === 'number' && typeof h.hash === 'string' ? { seq: h.seq, hash: h.hash } : { seq: 0, hash: GENESIS_HASH };
};

/**
 * Checks the logs an export keeps as an archive (docs/export-format.md): the access log's and
 * the write log's hash chains, entry by entry against their heads, streaming the document
 * (memory does not grow with the log). Nothing is read from any database: the export alone
 * proves whether its logs are whole.
 * @example const v = await verifyExportArchive(createReadStream('structura.json')); v.accessLog.ok
 */
export async function verifyExportArchive(input: Readable): Promise<ArchiveVerification> {
  const parser = new JSONParser({
    paths: ['$.firmId', '$.accessLog.head', '$.accessLog.rows.*', '$.writeLog.head', '$.writeLog.rows.*', '$.verification', '$.writeLogVerification'],
    keepStack: false,
  });
  const access = new ChainVerifier<AccessLogContent & ChainLinks>(hashEntry);
  const write = new ChainVerifier<WriteLogContent & ChainLinks>(hashWriteEntry);
  let firmId: string | undefined;
  let accessHead: ChainHead = { seq: 0, hash: GENESIS_HASH };
  let writeHead: ChainHead | undefined;
  const stated: ArchiveVerification['stated'] = { accessLog: null, writeLog: null };
  let failure: Error | undefined;
  parser.onError = (error) => (failure ??= error);
  parser.onValue = ({ value, key, stack }) => {
    const section = stack[1]?.key;
    if (stack.length === 1) {
      if (key === 'firmId') firmId = String(value);
      if (key === 'verification') stated.accessLog = value;
      if (key === 'writeLogVerification') stated.writeLog = value;
    } else if (section === 'accessLog') {
      if (key === 'head') accessHead = headOf(value);
      else access.push(asEntry(value as Row));
    } else if (section === 'writeLog') {
      if (key === 'head') writeHead = headOf(value);
      else write.push(asEntry(value as Row));
    }
  };
  input.setEncoding('utf8');
  for await (const chunk of input) {
    parser.write(String(chunk));
    if (failure) break;
  }
  if (!failure && !parser.isEnded) {
    try {
      parser.end();
    } catch (error) {
      failure = error as Error;
    }
  }
  input.destroy();
  if (failure) throw new Error(`not an export document: ${failure.message}`);
  return { firmId, accessLog: access.finish(accessHead), writeLog: writeHead === undefined ? null : write.finish(writeHead), stated };
}
