import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ConfigError } from '../../config/configError.js';
import { envString } from '../../config/env.js';
import { loadConfigFile } from '../../config/loadConfigFile.js';
import { demoDataDir, demoPolicyFile } from '../../demo/demoCluster.js';
import { ACCESS_LOG_CHAIN } from '../../subgraphs/firm/accessLog/accessLogChain.js';
import { verifyExportArchive } from '../../subgraphs/firm/data/verifyExportArchive.js';
import { verifyStoredLog } from '../../subgraphs/firm/hashChain/storedChain.js';
import { WRITE_LOG_CHAIN } from '../../subgraphs/firm/writeLog/writeLogChain.js';
import type { FirmDb } from '../../subgraphs/firm/db/firmDb.js';
import { openFirmDatabase, type FirmDatabase } from '../../subgraphs/firm/db/openFirmDatabase.js';
import { redactDatabaseUrl } from '../../subgraphs/firm/db/redactDatabaseUrl.js';
import { firmConfigSchema } from '../../subgraphs/firm/firmConfig.js';
import { parseCommandLine } from '../parseCommandLine.js';

/** A firm's database opened by an offline command, and what the command needs to say about it. */
export interface OfflineFirm {
  firmId: string;
  database: FirmDatabase;
  /** The URL without its password, or the PGlite directory. */
  location: string;
  /** The firm's policy file, when known (from `--config`, or the demo's policy of that firm). */
  policyFile: string | undefined;
}

const FIRM_ID = /^[a-z0-9][a-z0-9-]*$/;

/** Where an offline command finds a firm's database, before opening it. */
export interface OfflineFirmLocation {
  firmId: string;
  /** Set when the firm's data is in PostgreSQL. */
  databaseUrl: string | undefined;
  /** The PGlite directory otherwise. */
  dataDir: string;
  policyFile: string | undefined;
  /** The firm's configuration file, when given (`--config`), resolved. */
  configFile: string | undefined;
}

/**
 * Where the database of a firm is for an offline command: with `--config <firm.yaml>` the one
 * that firm's configuration names (DATABASE_URL overrides it, as for `dataspace firm`); else
 * DATABASE_URL if set, else the demo's PGlite directory `<DATASPACE_DATA_DIR>/firms/<id>/pgdata`.
 * @example const where = locateOfflineFirm({ config: 'titanforge.yaml' }, 'import');
 */
export function locateOfflineFirm(options: { firm?: string; config?: string }, command: string): OfflineFirmLocation {
  let firmId = options.firm;
  let databaseUrl = envString('DATABASE_URL');
  let dataDir: string;
  let policyFile: string | undefined;
  if (options.config) {
    const config = loadConfigFile(options.config, firmConfigSchema);
    if (firmId && firmId !== config.firmId) {
      throw new ConfigError('command line', '--firm', `"${firmId}" is not the firm of ${options.config} (${config.firmId})`);
    }
    firmId = config.firmId;
    const base = dirname(resolve(options.config));
    databaseUrl ??= config.database.url;
    dataDir = resolve(base, config.database.dataDir ?? `data/${config.firmId}`);
    policyFile = resolve(base, config.policyFile);
  } else {
    if (!firmId) throw new ConfigError('command line', '--firm', `required: the id of the firm whose database ${command} reads`);
    if (!FIRM_ID.test(firmId)) throw new ConfigError('command line', '--firm', `"${firmId}" is not a firm id ([a-z0-9-])`);
    dataDir = join(demoDataDir(), 'firms', firmId, 'pgdata');
    const demoPolicy = demoPolicyFile(firmId);
    policyFile = existsSync(demoPolicy) ? demoPolicy : undefined;
  }
  return { firmId, databaseUrl, dataDir, policyFile, configFile: options.config ? resolve(options.config) : undefined };
}

/** Whether a PGlite directory is open in a running process (the demo or the firm). */
export function pgliteInUse(dataDir: string): boolean {
  return existsSync(join(dataDir, 'postmaster.pid'));
}

/**
 * Opens the database of a firm for an offline command (`log verify`, `export`), located by
 * {@link locateOfflineFirm}. A PGlite directory is one process's at a time: if the demo or
 * the firm has it open, this refuses (exit 1) instead of risking it.
 * @example const firm = await openOfflineFirm({ firm: 'structura' }, 'log verify');
 */
export async function openOfflineFirm(options: { firm?: string; config?: string }, command: string): Promise<OfflineFirm> {
  const { firmId, databaseUrl, dataDir, policyFile } = locateOfflineFirm(options, command);
  if (databaseUrl) {
    return { firmId, database: await openFirmDatabase({ databaseUrl, maxConnections: 2 }), location: redactDatabaseUrl(databaseUrl), policyFile };
  }
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    throw new ConfigError(
      'command line',
      '--firm',
      `no database of firm ${firmId} in ${dataDir} (run the demo once, set DATASPACE_DATA_DIR to its data folder, pass --config, or set DATABASE_URL)`,
    );
  }
  if (pgliteInUse(dataDir)) {
    throw new Error(
      `the database of firm ${firmId} in ${dataDir} is open in another process (the demo or the firm is running; ` +
        `an embedded PGlite database serves one process at a time). Stop it first, or ask the running firm through the gateway as one of its admins: ` +
        `{ firm(id: "${firmId}") { accessLogVerification { ok entries firstBrokenSeq reason } } }. ` +
        `If nothing runs, a crash left ${join(dataDir, 'postmaster.pid')} behind: start and stop the demo once to clear it.`,
    );
  }
  return { firmId, database: await openFirmDatabase({ dataDir }), location: dataDir, policyFile };
}

/** Reads a policy file for the export, or null when none is known. */
export function readPolicyFile(file: string | undefined): { file: string; content: string } | null {
  return file && existsSync(file) ? { file, content: readFileSync(file, 'utf8') } : null;
}

/** Verifies one of the firm's hash-chained logs, by its `--log` name. */
const LOGS = {
  access: (db: FirmDb) => verifyStoredLog(db, ACCESS_LOG_CHAIN),
  write: (db: FirmDb) => verifyStoredLog(db, WRITE_LOG_CHAIN),
} as const;

/**
 * `dataspace log verify --export <file> [--log access|write]`: checks a log kept as an archive in
 * an export (docs/export-format.md) offline, from the file alone.
 */
async function verifyExportFile(file: string, name: 'access' | 'write'): Promise<void> {
  if (!existsSync(file)) throw new ConfigError('command line', '--export', `no such file: ${file}`);
  const archive = await verifyExportArchive(createReadStream(file));
  const v = name === 'access' ? archive.accessLog : archive.writeLog;
  if (!v) {
    process.stdout.write(`no write log in ${file} (exported before the write log was)\n`);
    return;
  }
  if (v.ok) {
    process.stdout.write(`ok: ${v.entries} entries, head ${v.head.hash} (the ${name} log of ${archive.firmId ?? '?'} in ${file})\n`);
    return;
  }
  process.stdout.write(`broken at entry ${v.firstBrokenSeq ?? '?'}: ${v.reason ?? 'unknown'}\n`);
  process.exitCode = 1;
}

/**
 * `dataspace log verify --firm <id> [--config <firm.yaml>] [--log access|write]`: checks the
 * hash chain of a firm's access log (default) or write log against its head. Prints
 * `ok: <n> entries, head <hash>` (copy the head hash elsewhere to detect a later rewrite of
 * the whole log), or `broken at entry <seq>: <reason>` and exits 1.
 */
export async function logCommand(argv: string[]): Promise<void> {
  const [sub, ...rest] = argv;
  if (sub !== 'verify') throw new ConfigError('command line', 'log', `expected "log verify --firm <id>", got "log ${sub ?? ''}"`);
  const { values, positionals } = parseCommandLine(rest, { firm: { type: 'string' }, config: { type: 'string' }, log: { type: 'string' }, export: { type: 'string' } });
  if (positionals.length > 0) throw new ConfigError('command line', 'log verify', `unexpected argument "${positionals[0] ?? ''}"`);
  const name = values.log ?? 'access';
  if (name !== 'access' && name !== 'write') throw new ConfigError('command line', '--log', `expected access or write, got "${name}"`);
  if (values.export !== undefined) {
    await verifyExportFile(values.export, name);
    return;
  }
  const firm = await openOfflineFirm(values, 'log verify');
  try {
    const v = await LOGS[name](firm.database.db);
    if (v.ok) {
      process.stdout.write(`ok: ${v.entries} entries, head ${v.head.hash}\n`);
      return;
    }
    process.stdout.write(`broken at entry ${v.firstBrokenSeq ?? '?'}: ${v.reason ?? 'unknown'}\n`);
    process.exitCode = 1;
  } finally {
    await firm.database.close();
  }
}
