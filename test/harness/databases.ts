import { randomBytes } from 'node:crypto';
import postgres from 'postgres';

/** Per-firm databases for a test cluster: PGlite in memory, or PostgreSQL when DATABASE_URL is set. */
export interface TestDatabases {
  driver: 'pglite' | 'postgres';
  /** The URL of a firm's database (PostgreSQL only). */
  urlFor?: (firmId: string) => string;
  drop(): Promise<void>;
}

/**
 * Creates one PostgreSQL database per firm on the server of DATABASE_URL (dropped by
 * `drop()`), or nothing when DATABASE_URL is unset (each firm gets an in-memory PGlite).
 * @example const dbs = await createTestDatabases(['skyframe', 'structura']);
 */
export async function createTestDatabases(firmIds: readonly string[]): Promise<TestDatabases> {
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) return { driver: 'pglite', drop: async () => {} };
  const run = randomBytes(4).toString('hex');
  const nameOf = (firmId: string): string => `ds_${run}_${firmId.replace(/[^a-z0-9]/g, '_')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  for (const id of firmIds) await admin.unsafe(`create database "${nameOf(id)}"`);
  return {
    driver: 'postgres',
    urlFor: (firmId) => {
      const url = new URL(adminUrl);
      url.pathname = `/${nameOf(firmId)}`;
      return url.href;
    },
    drop: async () => {
      for (const id of firmIds) await admin.unsafe(`drop database if exists "${nameOf(id)}" with (force)`);
      await admin.end();
    },
  };
}
