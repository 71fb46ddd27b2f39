import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { PassThrough } from 'node:stream';
import { ImportInputError, type ImportFile, type ImportRow } from './importRows.js';
import { readCsvRows } from './readCsvRows.js';
import { readJsonRows, type ExportMeta } from './readJsonRows.js';
import { specOfName, TABLE_SPECS, type TableSpec } from './tableSpecs.js';

/** One file to import: a table's CSV, or a JSON document in the export format. */
export type ImportSource = { kind: 'csv'; path: string; spec: TableSpec } | { kind: 'json'; path: string };

const expected = (): string => `${TABLE_SPECS.map((s) => `${s.file}.csv`).join(', ')}, or a .json export`;

function sourceOf(path: string): ImportSource {
  const ext = extname(path).toLowerCase();
  if (ext === '.json') return { kind: 'json', path };
  const spec = ext === '.csv' ? specOfName(basename(path)) : undefined;
  if (!spec || !TABLE_SPECS.some((s) => s === spec)) {
    throw new ImportInputError({ file: path, line: 0, column: '', code: 'UNKNOWN_COLUMN', reason: `not a file this import knows (expected ${expected()})` });
  }
  return { kind: 'csv', path, spec };
}

/**
 * The files of an import: each path a file, or a folder whose `.csv` and `.json` files are
 * taken (other files, such as a README, are left alone). CSV files are named after their
 * table (`lots.csv`, `bom-lines.csv`, docs/import-format.md) and come in table order (parents
 * first), JSON documents after them. A path that does not exist, or a file of another name,
 * throws {@link ImportInputError}.
 * @example const sources = await importSources(['demo/import-example']);
 */
export async function importSources(paths: readonly string[]): Promise<ImportSource[]> {
  const sources: ImportSource[] = [];
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (!info) throw new ImportInputError({ file: path, line: 0, column: '', code: 'MISSING_VALUE', reason: 'no such file or folder' });
    if (!info.isDirectory()) {
      sources.push(sourceOf(path));
      continue;
    }
    const names = (await readdir(path)).filter((n) => /\.(csv|json)$/i.test(n)).sort();
    if (names.length === 0) throw new ImportInputError({ file: path, line: 0, column: '', code: 'MISSING_VALUE', reason: `no .csv or .json file in this folder (expected ${expected()})` });
    for (const name of names) sources.push(sourceOf(join(path, name)));
  }
  const rank = (s: ImportSource): number => (s.kind === 'csv' ? TABLE_SPECS.indexOf(s.spec as (typeof TABLE_SPECS)[number]) : TABLE_SPECS.length);
  return sources.map((s, i) => ({ s, i })).sort((a, b) => rank(a.s) - rank(b.s) || a.i - b.i).map(({ s }) => s);
}

/**
 * The rows of the import's files, one file after another, each file hashed (SHA-256) as it
 * is read: `files` lists the files read so far with their hashes (complete once the rows are
 * all read), `meta` what the JSON documents said besides their rows.
 * @example
 * const { rows, files } = readImportFiles(await importSources(paths), 'titanforge');
 * const result = await importRows(db, rows, { actor, files });
 */
export function readImportFiles(sources: readonly ImportSource[], firmId: string): { rows: AsyncIterable<ImportRow>; files: () => ImportFile[]; meta: ExportMeta } {
  const files: ImportFile[] = sources.map((s) => ({ name: s.path, sha256: '' }));
  const meta: ExportMeta = { archived: {} };
  async function* rows(): AsyncGenerator<ImportRow> {
    for (const [index, source] of sources.entries()) {
      const hash = createHash('sha256');
      const tee = new PassThrough();
      const input = createReadStream(source.path);
      input.on('data', (chunk) => hash.update(chunk));
      input.on('error', (error) => tee.destroy(error));
      input.pipe(tee);
      yield* source.kind === 'csv' ? readCsvRows(tee, source.spec, index, source.path) : readJsonRows(tee, index, source.path, firmId, meta);
      const entry = files[index];
      if (entry) entry.sha256 = hash.digest('hex');
    }
  }
  return { rows: rows(), files: () => files, meta };
}
