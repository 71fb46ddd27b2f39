import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TOPOLOGY } from '../../../demo/topology.js';
import type { FirmSeed } from '../../../seed/clusterSeed.js';
import { generateCluster } from '../../../seed/generateCluster.js';
import { insertFirmSeed, isSeeded } from '../../../seed/insertSeed.js';
import { openFirmDatabase, type FirmDatabase } from '../../../subgraphs/firm/db/openFirmDatabase.js';
import { lotComponents, lots, parts, tables } from '../../../subgraphs/firm/db/tables.js';
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from '../../harness/createTestDatabase.js';

const cluster = generateCluster(DEMO_TOPOLOGY);
const structura = cluster.firms.structura as FirmSeed;

async function countRows(firm: FirmDatabase): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const [name, table] of Object.entries(tables)) {
    const [row] = await firm.db.select({ n: count() }).from(table);
    counts[name] = row?.n ?? -1;
  }
  return counts;
}

function expectedCounts(seed: FirmSeed): Record<string, number> {
  return Object.fromEntries(Object.keys(tables).map((name) => [name, (seed[name as keyof typeof tables] as unknown[]).length]));
}

describe.each(testDatabaseKinds())('firm database on %s', (kind) => {
  let testDb: TestDatabase;
  let firm: FirmDatabase;

  beforeAll(async () => {
    testDb = await createTestDatabase(kind);
    firm = await openFirmDatabase({ databaseUrl: testDb.url, dataDir: testDb.dataDir });
  });
  afterAll(async () => {
    await firm?.close();
    await testDb?.drop();
  });

  it('opens migrated and empty, on the expected driver', async () => {
    expect(firm.driver).toBe(kind === 'postgres' ? 'postgres' : 'pglite');
    expect(firm.statements()).toBe(0);
    expect(await isSeeded(firm.db)).toBe(false);
    expect(Object.values(await countRows(firm)).every((n) => n === 0)).toBe(true);
  });

  it('takes the demo seed of one firm, with the same counts and values', async () => {
    await insertFirmSeed(firm.db, structura);
    expect(await isSeeded(firm.db)).toBe(true);
    expect(await countRows(firm)).toEqual(expectedCounts(structura));
    const [first] = await firm.db.select().from(lots).where(eq(lots.lotId, 'structura-L0001'));
    const expected = structura.lots.find((l) => l.lotId === 'structura-L0001');
    expect(first).toEqual({ ...expected, runId: expected?.runId ?? null });
    expect(first?.producedAt).toBeInstanceOf(Date);
  });

  it('counts the statements run through db', async () => {
    const before = firm.statements();
    await firm.db.select().from(parts);
    await firm.db.query.lotComponents.findMany({ where: eq(lotComponents.componentFirmId, 'precimach') });
    expect(firm.statements() - before).toBe(2);
  });

  it('rolls the whole seed back when one insert fails', async () => {
    await expect(insertFirmSeed(firm.db, structura)).rejects.toThrow();
    expect(await countRows(firm)).toEqual(expectedCounts(structura));
  });
});

describe('firm database in a PGlite directory', () => {
  it('creates the directory, and keeps data and migrations across a reopen', async () => {
    const testDb = await createTestDatabase('pglite-dir');
    const dataDir = `${testDb.dataDir}/nested/structura`;
    try {
      const first = await openFirmDatabase({ dataDir });
      await insertFirmSeed(first.db, structura);
      await first.close();
      const again = await openFirmDatabase({ dataDir });
      expect(await isSeeded(again.db)).toBe(true);
      expect((await countRows(again)).lots).toBe(structura.lots.length);
      await again.close();
    } finally {
      await testDb.drop();
    }
  });
});

describe('openFirmDatabase errors', () => {
  it('names the URL without its password when the server is unreachable', async () => {
    const error = await openFirmDatabase({ databaseUrl: 'postgres://app:s3cret@127.0.0.1:1/firm' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain('postgres://app:***@127.0.0.1:1/firm');
    expect((error as Error).message).not.toContain('s3cret');
  });
});
