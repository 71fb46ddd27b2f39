import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { ImportFile, ImportRow } from '../../../subgraphs/firm/data/importRows.js';
import { decodeImportStream, encodeImportStream } from '../../../subgraphs/firm/data/importStream.js';
import { tableSpec } from '../../../subgraphs/firm/data/tableSpecs.js';

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

async function* rowsOf(rows: ImportRow[]): AsyncGenerator<ImportRow> {
  yield* rows;
}

describe('the NDJSON body of POST /import', () => {
  const rows: ImportRow[] = [
    { spec: tableSpec('parts'), raw: { partId: 'P1', name: 'a, "b"' }, file: 0, line: 2 },
    { spec: tableSpec('lots'), raw: { lotId: 'L1', status: 'on hold' }, file: 1, line: 7 },
  ];

  it('carries the rows unchanged, with their files, lines and the files SHA-256 at the end', async () => {
    const sent: ImportFile[] = [{ name: 'parts.csv', sha256: '' }, { name: 'lots.csv', sha256: '' }];
    const body = (await collect(encodeImportStream(rowsOf(rows), () => sent.map((f) => ({ ...f, sha256: f.sha256 || `sha-${f.name}` }))))).join('');
    const files: ImportFile[] = [];
    const received = await collect(decodeImportStream(Readable.from([body]), files));
    expect(received.map((r) => [r.spec.table, r.file, r.line, r.raw])).toEqual(rows.map((r) => [r.spec.table, r.file, r.line, r.raw]));
    expect(files).toEqual([{ name: 'parts.csv', sha256: 'sha-parts.csv' }, { name: 'lots.csv', sha256: 'sha-lots.csv' }]);
  });

  it.each([
    ['a body cut short', '{"files":["a.csv"]}\n{"t":"parts","f":0,"l":2,"v":{}}\n', 'the upload ended before its closing line: nothing was imported'],
    ['an unknown table', '{"files":["a.csv"]}\n{"t":"colours","f":0,"l":2,"v":{}}\n', 'line 2: unknown table "colours"'],
    ['a line that is not JSON', '{"files":["a.csv"]}\nnope\n', 'line 2: not JSON'],
    ['no list of files first', '{"t":"parts","f":0,"l":2,"v":{}}\n', 'line 1: expected {"files": [names]} first'],
    ['a row without its place', '{"files":["a.csv"]}\n{"t":"parts","v":{}}\n', 'line 2: expected {t, f, l, v}'],
    ['data after the end', '{"files":[]}\n{"end":true,"files":[]}\n{"t":"parts","f":0,"l":2,"v":{}}\n', 'line 3: data after the closing line'],
  ])('refuses %s', async (_case, body, reason) => {
    await expect(collect(decodeImportStream(Readable.from([body]), []))).rejects.toThrow(reason);
  });
});
