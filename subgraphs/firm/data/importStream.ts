import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { ImportInputError, type ImportFile, type ImportRow } from './importRows.js';
import { GOVERNANCE_SPECS, TABLE_SPECS, type TableSpec } from './tableSpecs.js';

/**
 * The body of `POST /import` (a firm's own import through the running firm): NDJSON, one
 * object a line: first `{"files":["lots.csv", ...]}` (the files' names), then the rows as read
 * from the files, not yet validated (the firm validates them):
 * `{"t":"lots","f":0,"l":12,"v":{...raw values...}}` (table, file index, line, values), then
 * one closing line `{"end":true,"files":[{"name":"lots.csv","sha256":"..."}]}`. A body
 * without its closing line was cut short: the firm imports nothing.
 */

const SPECS = new Map<string, TableSpec>([...TABLE_SPECS, ...GOVERNANCE_SPECS].map((s) => [s.table, s]));

/**
 * The NDJSON lines of an import's rows and, once they are all read, its files.
 * @example for await (const line of encodeImportStream(rows, files)) req.write(line);
 */
export async function* encodeImportStream(rows: AsyncIterable<ImportRow>, files: () => readonly ImportFile[]): AsyncGenerator<string> {
  let batch = `${JSON.stringify({ files: files().map((f) => f.name) })}\n`;
  for await (const row of rows) {
    batch += `${JSON.stringify({ t: row.spec.table, f: row.file, l: row.line, v: row.raw })}\n`;
    if (batch.length >= 64 * 1024) {
      yield batch;
      batch = '';
    }
  }
  yield `${batch}${JSON.stringify({ end: true, files: files() })}\n`;
}

/**
 * Reads an import's NDJSON body: yields its rows, and fills `files` from the closing line. A
 * line that is not such an object, or a body without the closing line, throws
 * {@link ImportInputError}.
 * @example const files: ImportFile[] = []; await importRows(db, decodeImportStream(req, files), { actor, files: () => files });
 */
export async function* decodeImportStream(body: Readable, files: ImportFile[]): AsyncGenerator<ImportRow> {
  let ended = false;
  let n = 0;
  const refuse = (reason: string): never => {
    throw new ImportInputError({ file: '', line: 0, column: '', code: 'WRONG_TYPE', reason: `import stream, line ${n}: ${reason}` });
  };
  for await (const text of createInterface({ input: body, crlfDelay: Infinity })) {
    n += 1;
    if (text.trim() === '') continue;
    if (ended) refuse('data after the closing line');
    let item: unknown;
    try {
      item = JSON.parse(text);
    } catch {
      refuse('not JSON');
    }
    const o = item as { t?: unknown; f?: unknown; l?: unknown; v?: unknown; end?: unknown; files?: unknown };
    if (n === 1) {
      if (!Array.isArray(o.files)) refuse('expected {"files": [names]} first');
      for (const name of o.files as unknown[]) files.push({ name: String(name), sha256: '' });
      continue;
    }
    if (o.end === true) {
      if (!Array.isArray(o.files) || o.files.length !== files.length) refuse('the closing line does not list the files');
      (o.files as Array<{ sha256?: unknown }>).forEach((f, i) => {
        const file = files[i];
        if (file) file.sha256 = String(f.sha256 ?? '');
      });
      ended = true;
      continue;
    }
    const spec = SPECS.get(String(o.t));
    if (!spec) refuse(`unknown table ${JSON.stringify(o.t)}`);
    if (typeof o.f !== 'number' || typeof o.l !== 'number' || typeof o.v !== 'object' || o.v === null || Array.isArray(o.v)) refuse('expected {t, f, l, v}');
    yield { spec: spec as TableSpec, raw: o.v as Record<string, unknown>, file: o.f as number, line: o.l as number };
  }
  if (!ended) refuse('the upload ended before its closing line: nothing was imported');
}
