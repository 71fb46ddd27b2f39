import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { ImportInputError, type ImportRow } from './importRows.js';
import type { TableSpec } from './tableSpecs.js';
import { checkColumns } from './validateRow.js';

/** What csv-parse hands out with `info: true`. */
interface ParsedRecord {
  record: string[];
  info: { lines: number; empty_lines: number };
}

/**
 * Streams the rows of one CSV file of a table (docs/import-format.md): RFC 4180 as parsed by
 * csv-parse (quoted fields, commas and line breaks inside quotes, a UTF-8 BOM), a header
 * line of the table's column names (checked before any row: unknown, repeated or missing
 * required columns are refused), then one row per record; empty lines are skipped and an
 * empty cell is "no value". A row's line is the line its record starts on. A syntax error
 * (an unclosed quote, a row with more or fewer cells than the header) throws
 * {@link ImportInputError} naming the file and the line.
 * @example
 * for await (const row of readCsvRows(createReadStream('lots.csv'), tableSpec('lots'), 0, 'lots.csv')) console.log(row.line, row.raw);
 */
export async function* readCsvRows(input: Readable, spec: TableSpec, file: number, fileName: string): AsyncGenerator<ImportRow> {
  const parser = input.pipe(parse({ info: true, bom: true, skip_empty_lines: true, relax_column_count: false }));
  let header: string[] | undefined;
  let endOfPrevious = 0;
  let emptyBefore = 0;
  try {
    for await (const chunk of parser) {
      const { record, info } = chunk as ParsedRecord;
      const line = endOfPrevious + 1 + (info.empty_lines - emptyBefore);
      endOfPrevious = info.lines;
      emptyBefore = info.empty_lines;
      if (!header) {
        header = record.map((h) => h.trim());
        const [problem] = checkColumns(spec, header);
        if (problem) throw new ImportInputError({ ...problem, file: fileName, line });
        continue;
      }
      const raw: Record<string, string> = {};
      header.forEach((name, i) => {
        raw[name] = record[i] ?? '';
      });
      yield { spec, raw, file, line };
    }
  } catch (error) {
    if (error instanceof ImportInputError) throw error;
    const e = error as { code?: string; lines?: number; message?: string };
    if (typeof e.code === 'string' && e.code.startsWith('CSV_')) {
      throw new ImportInputError({ file: fileName, line: e.lines ?? 0, column: '', code: 'WRONG_TYPE', reason: `not valid CSV: ${e.message ?? e.code}` });
    }
    throw error;
  } finally {
    input.destroy();
  }
  if (!header) throw new ImportInputError({ file: fileName, line: 0, column: '', code: 'MISSING_VALUE', reason: 'empty file: expected a header line of column names' });
}
