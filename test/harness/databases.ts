import { createTestDatabase, type TestDatabase } from './createTestDatabase.js';

/** Per-firm databases for a test cluster: PGlite in memory, or PostgreSQL when DATABASE_URL is set. */
export interface TestDatabases {
  driver: 'pglite' | 'postgres';
  /** The URL of a firm's database (PostgreSQL only). */
  urlFor?: (firmId: string) => string;
  drop(): Promise<void>;
}

/**
 * One test database per firm (see {@link createTestDatabase}): a fresh PostgreSQL database
 * each on the server of DATABASE_URL, dropped by `drop()`, or in-memory PGlite when unset.
 * @example const dbs = await createTestDatabases(['skyframe', 'structura']);
 */
export async function createTestDatabases(firmIds: readonly string[]): Promise<TestDatabases> {
  if (!process.env.DATABASE_URL) return { driver: 'pglite', drop: async () => {} };
  const created = new Map<string, TestDatabase>();
  const drop = async (): Promise<void> => {
    for (const db of created.values()) await db.drop();
  };
  try {
    for (const id of firmIds) created.set(id, await createTestDatabase('postgres'));
  } catch (err) {
    await drop();
    throw err;
  }
  return {
    driver: 'postgres',
    urlFor: (firmId) => {
      const url = created.get(firmId)?.url;
      if (!url) throw new Error(`no test database for firm ${firmId}`);
      return url;
    },
    drop,
  };
}
