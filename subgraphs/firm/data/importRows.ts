import type { FirmDb } from '../db/firmDb.js';
import type { LoggedChange } from '../db/governanceTables.js';
import { appendWriteEntry } from '../writeLog/appendWriteEntry.js';
import { batchSize, ChangeWriter } from './applyChanges.js';
import { existingKeys } from './existingKeys.js';
import { missingReferenceReason, RowTracker } from './rowTracker.js';
import { tableSpec, type StoredTableName, type TableSpec } from './tableSpecs.js';
import { validateRow, type RowProblem, type TypedRow } from './validateRow.js';

/** One raw row of an import, and where it came from (an index into the import's files, a line). */
export interface ImportRow {
  spec: TableSpec;
  raw: Readonly<Record<string, unknown>>;
  file: number;
  line: number;
}

/** A file of the import: its name as given, and the SHA-256 of its bytes. */
export interface ImportFile {
  name: string;
  sha256: string;
}

/** Why an import was refused: the file, the line, the column and the reason. */
export interface ImportProblem extends RowProblem {
  /** The file as given; `''` when the problem is not of one file. */
  file: string;
  /** From 1; 0 when the problem is of the whole file (or none). */
  line: number;
}

/** Who runs the import: recorded in the write log. */
export interface ImportActor {
  firmId: string;
  subject: string;
  roles: readonly string[];
}

export interface ImportOptions {
  actor: ImportActor;
  /** Validate only: nothing is written (references are still checked against the database). */
  dryRun?: boolean;
  /** The files, known once every row was read (their hashes are computed while reading). */
  files: () => readonly ImportFile[];
  /** Problems reported at most; reading stops there. Default 50. */
  maxProblems?: number;
  /** When the import arrived (the write log's `at`). Default: now. */
  now?: Date;
}

export type ImportResult =
  | { ok: true; dryRun: boolean; rows: number; changes: LoggedChange[]; writeLogSeq: number | null }
  | { ok: false; problems: ImportProblem[] };

/** A problem found outside the rows (a bad header, a file that does not parse): thrown by a row source. */
export class ImportInputError extends Error {
  override readonly name = 'ImportInputError';
  constructor(readonly problem: ImportProblem) {
    super(`${problem.file}${problem.line > 0 ? `, line ${problem.line}` : ''}${problem.column ? `, column ${problem.column}` : ''}: ${problem.reason}`);
  }
}

class Refused extends Error {
  constructor(readonly problems: ImportProblem[]) {
    super('import refused');
  }
}

class DryRunDone extends Error {}

/** The write log's `detail` for an import: its files and their SHA-256. */
export function importDetail(files: readonly ImportFile[]): string {
  return `import of ${files.map((f) => `${f.name} (sha256 ${f.sha256})`).join(', ')}`;
}

/**
 * Imports rows into the firm's own database, all or nothing, in ONE transaction: each row is
 * validated ({@link validateRow}), its key checked against the other rows of the import
 * (a key given twice is refused where it repeats), and its in-firm references remembered;
 * valid rows are upserted in batches of multi-row statements while reading, so memory does
 * not grow with the rows. After the last row, every reference that no row of the import
 * satisfies is looked up in the database. Any problem (up to `maxProblems` are collected)
 * rolls everything back and resolves `{ ok: false, problems }` naming file, line, column and
 * reason. Otherwise one write log entry records who imported, what changed per table and the
 * files' SHA-256 (none when nothing changed: importing the same data twice changes nothing).
 * `dryRun` validates the same way and writes nothing.
 * @example
 * const result = await importRows(db, rowsOfFiles(paths), { actor: { firmId: 'titanforge', subject: 'ops', roles: ['integration'] }, files: () => files });
 * if (!result.ok) for (const p of result.problems) console.error(`${p.file}:${p.line} ${p.column}: ${p.reason}`);
 */
export async function importRows(db: FirmDb, rows: AsyncIterable<ImportRow>, options: ImportOptions): Promise<ImportResult> {
  const max = options.maxProblems ?? 50;
  const fileName = (i: number): string => options.files()[i]?.name ?? `file ${i + 1}`;
  try {
    return await db.transaction(async (tx) => {
      const tracker = new RowTracker<number>();
      // Where each valid row came from, by its index (two flat arrays: an import may hold millions of rows).
      const fileOf: number[] = [];
      const lineOf: number[] = [];
      const writer = new ChangeWriter(tx);
      const pending = new Map<StoredTableName, { spec: TableSpec; rows: TypedRow[] }>();
      const problems: ImportProblem[] = [];
      let count = 0;
      const flush = async (entry: { spec: TableSpec; rows: TypedRow[] }): Promise<void> => {
        if (!options.dryRun && problems.length === 0 && entry.rows.length > 0) await writer.upsertRows(entry.spec, entry.rows);
        entry.rows = [];
      };
      const describe = (at: number): string => `${fileName(fileOf[at] ?? 0)} line ${lineOf[at] ?? 0}`;
      try {
        for await (const row of rows) {
          count += 1;
          const result = validateRow(row.spec, row.raw, { firmId: options.actor.firmId });
          if (!result.ok) {
            for (const p of result.problems) problems.push({ ...p, file: fileName(row.file), line: row.line });
          } else {
            fileOf.push(row.file);
            lineOf.push(row.line);
            const duplicate = tracker.add(row.spec, result.row, fileOf.length - 1, describe);
            if (duplicate) problems.push({ ...duplicate, file: fileName(row.file), line: row.line });
            else if (problems.length === 0 && !options.dryRun) {
              let entry = pending.get(row.spec.table);
              if (!entry) pending.set(row.spec.table, (entry = { spec: row.spec, rows: [] }));
              entry.rows.push(result.row);
              if (entry.rows.length >= batchSize(row.spec)) await flush(entry);
            }
          }
          if (problems.length >= max) break;
        }
      } catch (error) {
        if (!(error instanceof ImportInputError)) throw error;
        problems.push(error.problem);
      }
      for (const entry of pending.values()) await flush(entry);
      if (problems.length < max) {
        for (const [table, refs] of tracker.pendingReferences()) {
          const target = tableSpec(table);
          const found = await existingKeys(tx, target, [...refs.keys()]);
          for (const [key, ref] of refs) {
            if (found.has(key)) continue;
            problems.push({
              file: fileName(fileOf[ref.location] ?? 0),
              line: lineOf[ref.location] ?? 0,
              column: ref.column,
              code: 'MISSING_REFERENCE',
              reason: missingReferenceReason(ref.column, target, key),
            });
            if (problems.length >= max) break;
          }
          if (problems.length >= max) break;
        }
      }
      problems.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
      if (problems.length > 0) throw new Refused(problems);
      if (options.dryRun) throw Object.assign(new DryRunDone(), { rows: count });
      const changes = writer.changes();
      let writeLogSeq: number | null = null;
      if (changes.length > 0) {
        const entry = await appendWriteEntry(tx, {
          at: options.now ?? new Date(),
          actorFirm: options.actor.firmId,
          actorSubject: options.actor.subject,
          roles: [...options.actor.roles],
          operation: 'import',
          detail: importDetail(options.files()),
          changes,
        });
        writeLogSeq = entry.seq;
      }
      return { ok: true as const, dryRun: false, rows: count, changes, writeLogSeq };
    });
  } catch (error) {
    if (error instanceof Refused) return { ok: false, problems: error.problems };
    if (error instanceof DryRunDone) return { ok: true, dryRun: true, rows: (error as DryRunDone & { rows: number }).rows, changes: [], writeLogSeq: null };
    const refusal = constraintRefusal(error);
    if (refusal) return { ok: false, problems: [refusal] };
    throw error;
  }
}

/** A constraint the database enforced at commit (a row deleted meanwhile, say): a problem, not a crash. */
function constraintRefusal(error: unknown): ImportProblem | undefined {
  const e = error as { code?: string; constraint_name?: string; constraint?: string; detail?: string; cause?: unknown };
  const cause = (e.cause ?? e) as { code?: string; constraint_name?: string; constraint?: string; detail?: string };
  if (cause.code !== '23503' && cause.code !== '23514' && cause.code !== '23502') return undefined;
  return {
    file: '',
    line: 0,
    column: '',
    code: cause.code === '23503' ? 'MISSING_REFERENCE' : 'WRONG_TYPE',
    reason: `the database refused the import at commit (constraint ${cause.constraint_name ?? cause.constraint ?? 'unknown'}: ${cause.detail ?? 'violated'}); nothing was imported`,
  };
}
