import type { Readable } from 'node:stream';
import { JSONParser } from '@streamparser/json';
import { EXPORT_FORMAT, EXPORT_FORMAT_VERSION } from '../accessLog/exportFirmData.js';
import { ImportInputError, type ImportRow } from './importRows.js';
import { GOVERNANCE_SPECS, specOfName, TABLE_SPECS, type TableSpec } from './tableSpecs.js';

/** What an export says besides its rows: read while streaming, for the import to report or restore. */
export interface ExportMeta {
  firmId?: string;
  policy?: { file: string; content: string } | null;
  /** Sections kept as an archive and not imported (`accessLog`, `writeLog`), with their row counts. */
  archived: Record<string, number>;
}

const PATHS = ['$.format', '$.formatVersion', '$.firmId', '$.policy', '$.data.*.rows.*', '$.agreements.rows.*', '$.accessRequests.rows.*', '$.accessLog.rows.*', '$.writeLog.rows.*'];
const GOVERNANCE = new Map(GOVERNANCE_SPECS.map((s) => [s.table as string, s]));

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Streams the rows of a JSON document in the export format (docs/export-format.md): a whole
 * export, or a document with any subset of its `data` tables (`{ "data": { "lots": { "rows":
 * [...] } } }`). Rows of `data.<table>` and of `agreements` and `accessRequests` are yielded;
 * the access log and write log are an archive and are only counted (`meta.archived`). A
 * row's line is the line it ends on (an export writes a row a line). A `format` other than
 * the export's, a `formatVersion` this code does not know, another firm's export, a table
 * this code does not know, or JSON that does not parse throws {@link ImportInputError}.
 * @example
 * const meta: ExportMeta = { archived: {} };
 * for await (const row of readJsonRows(createReadStream('structura.json'), 0, 'structura.json', 'structura', meta)) ...
 */
export async function* readJsonRows(input: Readable, file: number, fileName: string, firmId: string, meta: ExportMeta): AsyncGenerator<ImportRow> {
  const parser = new JSONParser({ paths: PATHS, keepStack: false });
  const ready: ImportRow[] = [];
  let line = 1;
  let failure: ImportInputError | undefined;
  const fail = (reason: string, column = ''): void => {
    failure ??= new ImportInputError({ file: fileName, line, column, code: 'WRONG_TYPE', reason });
  };
  parser.onError = (error) => fail(`not valid JSON: ${error.message}`);
  parser.onValue = ({ value, key, stack }) => {
    const path = stack.map((s) => s.key).slice(1);
    if (path.length === 0) {
      if (key === 'format' && value !== EXPORT_FORMAT) fail(`format is ${JSON.stringify(value)}, not "${EXPORT_FORMAT}"`, 'format');
      if (key === 'formatVersion' && value !== EXPORT_FORMAT_VERSION) fail(`formatVersion ${JSON.stringify(value)} is not one this import reads (${EXPORT_FORMAT_VERSION})`, 'formatVersion');
      if (key === 'firmId') {
        meta.firmId = String(value);
        if (value !== firmId) fail(`this is an export of firm ${JSON.stringify(value)}, not of ${firmId}`, 'firmId');
      }
      if (key === 'policy') meta.policy = isRecord(value) && typeof value.content === 'string' ? { file: String(value.file ?? ''), content: value.content } : null;
      return;
    }
    const [section, table] = path;
    if (section === 'accessLog' || section === 'writeLog') {
      meta.archived[section] = (meta.archived[section] ?? 0) + 1;
      return;
    }
    let spec: TableSpec | undefined;
    if (section === 'data') {
      spec = specOfName(String(table));
      if (!spec || !TABLE_SPECS.includes(spec as (typeof TABLE_SPECS)[number]) || spec.table !== table) {
        fail(`unknown table ${JSON.stringify(table)} in data (expected some of ${TABLE_SPECS.map((s) => s.table).join(', ')})`);
        return;
      }
    } else spec = GOVERNANCE.get(String(section));
    if (!spec) return;
    if (!isRecord(value)) {
      fail(`a row of ${spec.table} is not an object`);
      return;
    }
    ready.push({ spec, raw: value, file, line });
  };
  let carry = '';
  input.setEncoding('utf8');
  const feed = function* (text: string): Generator<ImportRow> {
    if (failure) return;
    parser.write(text);
    yield* ready.splice(0, ready.length);
  };
  try {
    for await (const chunk of input) {
      const text = carry + String(chunk);
      const lines = text.split('\n');
      carry = lines.pop() ?? '';
      for (const one of lines) {
        yield* feed(`${one}\n`);
        if (failure) throw failure;
        line += 1;
      }
    }
    if (carry) yield* feed(carry);
    if (!failure && !parser.isEnded) {
      try {
        parser.end();
      } catch (error) {
        fail(`not valid JSON: ${(error as Error).message}`);
      }
    }
    yield* ready.splice(0, ready.length);
    if (failure) throw failure;
  } finally {
    input.destroy();
  }
}
