import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { userInfo } from 'node:os';
import { ConfigError } from '../../config/configError.js';
import { envString } from '../../config/env.js';
import { loadConfigFile } from '../../config/loadConfigFile.js';
import { firmFilePath } from '../../local/writeClusterFiles.js';
import { demoDataDir } from '../../demo/demoCluster.js';
import { importSources, readImportFiles } from '../../subgraphs/firm/data/importFiles.js';
import { ImportInputError, importRows, type ImportProblem, type ImportResult } from '../../subgraphs/firm/data/importRows.js';
import { openFirmDatabase } from '../../subgraphs/firm/db/openFirmDatabase.js';
import { firmConfigSchema } from '../../subgraphs/firm/firmConfig.js';
import { WRITE_ROLE } from '../../subgraphs/firm/ownerRole.js';
import { parseCommandLine } from '../parseCommandLine.js';
import { postImport } from '../postImport.js';
import { locateOfflineFirm, pgliteInUse } from './logCommand.js';

/** An import refused for its input: exit code 2, every problem on a line of its own. */
export class ImportRefused extends Error {
  override readonly name = 'ImportRefused';
  readonly code = 'IMPORT_INVALID' as const;
  constructor(readonly problems: readonly ImportProblem[]) {
    super(`import refused, nothing was imported (${problems.length} problem${problems.length === 1 ? '' : 's'}${problems.length >= 50 ? ', the first 50' : ''}):\n${problems.map((p) => `  ${describeProblem(p)}`).join('\n')}`);
  }
}

/**
 * One problem as the operator reads it: `lots.csv, line 4, column status: unknown enum value ...`.
 * @example describeProblem({ file: 'lots.csv', line: 4, column: 'status', code: 'UNKNOWN_ENUM_VALUE', reason: '...' })
 */
export function describeProblem(p: ImportProblem): string {
  const where = [p.file, p.line > 0 ? `line ${p.line}` : '', p.column ? `column ${p.column}` : ''].filter(Boolean).join(', ');
  return `${where || 'import'}: ${p.reason}`;
}

/**
 * The running firm's URL, from its configuration (`listen`, `tls`) unless `--firm-url` names
 * it; for a demo firm (`--firm <id>`), the file the demo writes for it at each start.
 */
function firmUrlOf(firmId: string, configFile: string | undefined, given: string | undefined): string {
  if (given) return given;
  const file = configFile ?? firmFilePath(demoDataDir(), firmId);
  if (!existsSync(file)) throw new ConfigError('command line', '--firm-url', 'required while the firm runs on its embedded database and no --config names its address');
  const config = loadConfigFile(file, firmConfigSchema);
  const host = !config.listen.host || config.listen.host === '0.0.0.0' ? '127.0.0.1' : config.listen.host;
  return `${config.tls ? 'https' : 'http'}://${host}:${config.listen.port}`;
}

function tokenOf(file: string | undefined): string {
  const token = file ? readFileSync(file, 'utf8').trim() : envString('DATASPACE_TOKEN');
  if (!token) {
    throw new ConfigError(
      'command line',
      '--token-file',
      `the firm runs on its embedded database, so the import goes through it: give a token of one of its users with the role ${WRITE_ROLE} (--token-file <file>, or DATASPACE_TOKEN; the demo's: dataspace token --firm <id> --role ${WRITE_ROLE})`,
    );
  }
  return token;
}

function summary(result: Extract<ImportResult, { ok: true }>): string {
  if (result.dryRun) return `dry run: ${result.rows} rows valid, nothing written`;
  const changed = result.changes.map((c) => `${c.table} ${c.upserted}${c.deleted ? `/-${c.deleted}` : ''}`).join(', ');
  return result.changes.length === 0
    ? `${result.rows} rows read, nothing changed (the database already holds them)`
    : `${result.rows} rows read; written: ${changed} (write log entry ${result.writeLogSeq ?? '?'})`;
}

/** An export's policy, restored next to the firm when the firm has none yet. */
async function restorePolicy(policyFile: string | undefined, policy: { content: string } | null | undefined): Promise<string | undefined> {
  if (!policy || !policyFile) return undefined;
  if (!existsSync(policyFile)) {
    await mkdir(dirname(policyFile), { recursive: true });
    await writeFile(policyFile, policy.content, { flag: 'wx' });
    return `policy restored to ${policyFile}`;
  }
  return readFileSync(policyFile, 'utf8') === policy.content ? undefined : `the export's policy differs from ${policyFile}, which was left as it is (the export keeps its own)`;
}

/**
 * `dataspace import [--config <firm.yaml> | --firm <id>] [--dry-run] [--subject <who>]
 * [--token-file <file>] [--firm-url <url>] <folder or file>...`: loads the firm's own data
 * from CSV files (one per table) and export-format JSON (docs/import-format.md), all or
 * nothing, upserting by key. On PostgreSQL, or on an embedded database no process has open,
 * the command writes itself (a new firm's database is created); while the firm runs on its
 * embedded database the rows go through it (`POST /import`, one writer) with a token of one
 * of its users with the role `integration`. Any bad row: exit 2 naming file, line, column
 * and reason.
 */
export async function importCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommandLine(argv, {
    firm: { type: 'string' },
    config: { type: 'string' },
    'dry-run': { type: 'boolean' },
    subject: { type: 'string' },
    'token-file': { type: 'string' },
    'firm-url': { type: 'string' },
  });
  if (positionals.length === 0) throw new ConfigError('command line', '<folder or file>', 'required: the CSV folder, CSV files or JSON export to import');
  const where = locateOfflineFirm(values, 'import');
  const dryRun = values['dry-run'] === true;
  let sources;
  try {
    sources = await importSources(positionals);
  } catch (error) {
    if (error instanceof ImportInputError) throw new ImportRefused([error.problem]);
    throw error;
  }
  const read = readImportFiles(sources, where.firmId);
  let result: ImportResult;
  let how: string;
  if (!where.databaseUrl && pgliteInUse(where.dataDir)) {
    const url = firmUrlOf(where.firmId, where.configFile, values['firm-url']);
    result = await postImport(url, tokenOf(values['token-file']), read.rows, read.files, { dryRun });
    how = `through the running firm at ${url}`;
  } else {
    if (!where.databaseUrl && !where.configFile && !existsSync(join(where.dataDir, 'PG_VERSION'))) {
      throw new ConfigError('command line', '--firm', `no database of firm ${where.firmId} in ${where.dataDir} (pass --config to create a new firm's database)`);
    }
    const database = await openFirmDatabase(where.databaseUrl ? { databaseUrl: where.databaseUrl, maxConnections: 2 } : { dataDir: where.dataDir });
    try {
      const subject = values.subject ?? `${userInfo().username}@${where.firmId}`;
      result = await importRows(database.db, read.rows, { actor: { firmId: where.firmId, subject, roles: ['operator'] }, dryRun, files: read.files });
    } finally {
      await database.close();
    }
    how = `into the ${database.driver} database`;
  }
  if (!result.ok) throw new ImportRefused(result.problems);
  process.stdout.write(`import into firm ${where.firmId} ${how}: ${summary(result)}\n`);
  const archived = Object.entries(read.meta.archived).map(([name, n]) => `${name} (${n} entries)`);
  if (archived.length > 0) process.stdout.write(`kept as an archive in the export, not imported: ${archived.join(', ')} (verify them offline: dataspace log verify --export <file> [--log write])\n`);
  if (!dryRun) {
    const note = await restorePolicy(where.policyFile, read.meta.policy);
    if (note) process.stdout.write(`${note}\n`);
  }
}
