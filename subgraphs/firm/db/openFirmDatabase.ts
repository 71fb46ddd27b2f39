import { mkdir, readdir, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import type { Logger } from 'drizzle-orm/logger';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import type { FirmDb, FirmDriver } from './firmDb.js';
import { markExclusive } from './exclusiveDatabase.js';
import { migratedTemplate } from './pgliteTemplate.js';
import { redactDatabaseUrl } from './redactDatabaseUrl.js';
import { tables } from './tables.js';

/** Where a firm's data lives. */
export interface OpenFirmDatabaseOptions {
  /** A PostgreSQL URL (`postgres://user:pass@host:5432/db`); when set, postgres.js is used. */
  databaseUrl?: string;
  /** A PGlite data directory, created if missing. Absent (and no URL): an in-memory PGlite. */
  dataDir?: string;
  /** Connections in the postgres.js pool. Default 10. Ignored by PGlite (one connection). */
  maxConnections?: number;
}

/** An open, migrated firm database. */
export interface FirmDatabase {
  db: FirmDb;
  driver: FirmDriver;
  /**
   * SQL statements the app has run through `db` since the database was opened (migrations
   * excluded), counted by drizzle's logger. Transaction control (BEGIN/COMMIT) issued by the
   * drivers is not counted. Take a difference of two readings to measure one request.
   */
  statements(): number;
  /** Closes the connection(s). Safe to call twice. */
  close(): Promise<void>;
}

/**
 * PGlite's own start parameters, plus small shared buffers: a firm's embedded database is
 * small, and PostgreSQL's default 128 MB of buffers per instance doubles the demo's memory.
 */
const PGLITE_DEFAULTS = (PGlite as unknown as { defaultStartParams?: unknown }).defaultStartParams;
const PGLITE_START_PARAMS: { startParams?: string[] } = Array.isArray(PGLITE_DEFAULTS)
  ? { startParams: [...(PGLITE_DEFAULTS as string[]), '-c', 'shared_buffers=16MB'] }
  : {};

/** The drizzle-kit migrations folder, next to this module whatever the working directory. */
const MIGRATIONS_FOLDER = fileURLToPath(new URL('./migrations', import.meta.url));

class CountingLogger implements Logger {
  count = 0;
  logQuery(): void {
    this.count += 1;
  }
}

/**
 * Opens a firm's database and applies the pending migrations: PostgreSQL through
 * postgres.js when `databaseUrl` is given, otherwise PGlite (on disk in `dataDir`, or in
 * memory; a new one starts from a migrated template: pgliteTemplate.ts). A bad URL or an unreachable server rejects with an Error that names the URL
 * without its password.
 *
 * @example
 * const firm = await openFirmDatabase({ dataDir: './data/structura' });
 * const released = await firm.db.select().from(lots).where(eq(lots.status, 'RELEASED'));
 * console.log(released.length, 'lots in', firm.statements(), 'statement(s)');
 * await firm.close();
 */
export async function openFirmDatabase(options: OpenFirmDatabaseOptions = {}): Promise<FirmDatabase> {
  return options.databaseUrl !== undefined
    ? openPostgres(options.databaseUrl, options.maxConnections ?? 10)
    : openPglite(options.dataDir);
}

/**
 * Starts PGlite in memory or in `dataDir`. A new database (in memory, or a missing or empty
 * folder) starts from the migrated template; if that fails, the folder is emptied again (it
 * was empty) and PostgreSQL's own initdb runs, as without a template.
 */
async function startPglite(dataDir: string | undefined): Promise<PGlite> {
  const at = dataDir !== undefined ? { dataDir } : {};
  if (dataDir !== undefined) await mkdir(dataDir, { recursive: true });
  const fresh = dataDir === undefined || (await readdir(dataDir)).length === 0;
  const loadDataDir = fresh ? await migratedTemplate(MIGRATIONS_FOLDER, PGLITE_START_PARAMS) : undefined;
  if (loadDataDir) {
    const loaded = await PGlite.create({ ...at, loadDataDir, ...PGLITE_START_PARAMS }).catch(() => undefined);
    if (loaded) return loaded;
    if (dataDir !== undefined) {
      await rm(dataDir, { recursive: true, force: true });
      await mkdir(dataDir, { recursive: true });
    }
  }
  return PGlite.create({ ...at, ...PGLITE_START_PARAMS });
}

async function openPglite(dataDir: string | undefined): Promise<FirmDatabase> {
  const where = dataDir ?? 'memory';
  let client: PGlite;
  try {
    client = await startPglite(dataDir);
  } catch (error) {
    throw new Error(`Cannot open the PGlite firm database in ${where}: ${messageOf(error)}`, { cause: error });
  }
  const logger = new CountingLogger();
  const db = drizzlePglite({ client, schema: tables, logger });
  try {
    await migratePglite(db, { migrationsFolder: MIGRATIONS_FOLDER });
  } catch (error) {
    await client.close().catch(() => undefined);
    throw new Error(`Cannot migrate the PGlite firm database in ${where}: ${messageOf(error)}`, { cause: error });
  }
  logger.count = 0;
  markExclusive(db);
  let closed: Promise<void> | undefined;
  return {
    db,
    driver: 'pglite',
    statements: () => logger.count,
    close: () => (closed ??= client.close()),
  };
}

async function openPostgres(databaseUrl: string, max: number): Promise<FirmDatabase> {
  const shown = redactDatabaseUrl(databaseUrl);
  let client: postgres.Sql;
  try {
    client = postgres(databaseUrl, { max, onnotice: () => undefined, connect_timeout: 10 });
  } catch (error) {
    throw new Error(`Invalid PostgreSQL URL ${shown}: ${messageOf(error)}`, { cause: error });
  }
  const end = () => client.end({ timeout: 5 });
  const logger = new CountingLogger();
  const db = drizzlePostgres({ client, schema: tables, logger });
  try {
    await client`select 1`;
  } catch (error) {
    await end().catch(() => undefined);
    throw new Error(`Cannot connect to the firm database at ${shown}: ${messageOf(error)}`, { cause: error });
  }
  try {
    await migratePostgres(db, { migrationsFolder: MIGRATIONS_FOLDER });
  } catch (error) {
    await end().catch(() => undefined);
    throw new Error(`Cannot migrate the firm database at ${shown}: ${messageOf(error)}`, { cause: error });
  }
  logger.count = 0;
  let closed: Promise<void> | undefined;
  return {
    db,
    driver: 'postgres',
    statements: () => logger.count,
    close: () => (closed ??= end()),
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
