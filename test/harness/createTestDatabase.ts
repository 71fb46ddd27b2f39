import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';

/** Where a test database lives: `postgres` needs DATABASE_URL (a server to create it on). */
export type TestDatabaseKind = 'pglite-memory' | 'pglite-dir' | 'postgres';

/** What `openFirmDatabase` needs to open it, and how to get rid of it. */
export interface TestDatabase {
  kind: TestDatabaseKind;
  /** Set for `postgres`: the URL of the fresh database. */
  url?: string;
  /** Set for `pglite-dir`: a fresh temporary directory. */
  dataDir?: string;
  /** Drops the database (or removes the directory). Close connections first. */
  drop(): Promise<void>;
}

/**
 * The kinds an integration suite should run on: PGlite always, PostgreSQL too when
 * DATABASE_URL is set.
 *
 * @example
 * describe.each(testDatabaseKinds())('on %s', (kind) => { ... });
 */
export function testDatabaseKinds(): Array<'pglite-memory' | 'postgres'> {
  return process.env.DATABASE_URL ? ['pglite-memory', 'postgres'] : ['pglite-memory'];
}

/**
 * Creates an empty database for one test suite. Default kind: `postgres` when
 * DATABASE_URL is set (a new database `ds_test_<random>` on that server, created through
 * postgres.js and dropped by `drop()`), else an in-memory PGlite (nothing to create).
 *
 * @example
 * const testDb = await createTestDatabase();
 * const firm = await openFirmDatabase({ databaseUrl: testDb.url, dataDir: testDb.dataDir });
 * // ...
 * await firm.close();
 * await testDb.drop();
 */
export async function createTestDatabase(kind?: TestDatabaseKind): Promise<TestDatabase> {
  const chosen = kind ?? (process.env.DATABASE_URL ? 'postgres' : 'pglite-memory');
  if (chosen === 'pglite-memory') return { kind: chosen, drop: async () => undefined };
  if (chosen === 'pglite-dir') {
    const dataDir = await mkdtemp(join(tmpdir(), 'ds-test-pglite-'));
    return { kind: chosen, dataDir, drop: () => rm(dataDir, { recursive: true, force: true }) };
  }
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) throw new Error('createTestDatabase("postgres") needs DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/postgres');
  const name = `ds_test_${randomBytes(6).toString('hex')}`;
  await withServer(serverUrl, (sql) => sql.unsafe(`CREATE DATABASE ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    kind: chosen,
    url: url.toString(),
    drop: () => withServer(serverUrl, (sql) => sql.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)),
  };
}

async function withServer(serverUrl: string, run: (sql: postgres.Sql) => Promise<unknown>): Promise<void> {
  const sql = postgres(serverUrl, { max: 1, onnotice: () => undefined });
  try {
    await run(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}
