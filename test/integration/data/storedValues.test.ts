import { readFileSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openFirmDatabase, type FirmDatabase } from '../../../subgraphs/firm/db/openFirmDatabase.js';
import { rowsOf } from '../../../subgraphs/firm/db/rowsOf.js';
import { unvalidatedConstraints } from '../../../subgraphs/firm/db/unvalidatedConstraints.js';
import { createTestDatabase, type TestDatabase } from '../../harness/createTestDatabase.js';
import { postAsGateway } from '../../harness/postAsGateway.js';
import { startTestCluster, type TestCluster } from '../../harness/testCluster.js';

const DRIVER = process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite';
const MIGRATIONS = fileURLToPath(new URL('../../../subgraphs/firm/db/migrations', import.meta.url));

/** The rows of an existing database, written before migration 0003 (no constraint stopped them). */
const OLD_ROWS = `
  insert into parts values ('f', 'P1', 'PN1', 'part', 'c', 'pcs', 1);
  insert into lots values ('f', 'L1', 'P1', 1, 'pcs', now(), 'RELEASED', null);
  insert into lots values ('f', 'L2', 'P1', 1, 'pcs', now(), 'on hold', null);
  insert into quality_inspections values ('f', 'QI1', 'L-gone', 'c', 1, 0, 2, 'mm', 'PASS', now());
  insert into shipments values ('f', 'SH1', 'c', null, now(), now(), null, 'PLANNED', 'x');
`;

/** Opens the database at migration 0002 (the state before this work), writes the old rows, closes it. */
async function databaseBefore0003(testDb: TestDatabase): Promise<void> {
  const folder = await mkdtemp(join(tmpdir(), 'ds-migrations-'));
  try {
    await cp(MIGRATIONS, folder, { recursive: true });
    const journalFile = join(folder, 'meta', '_journal.json');
    const journal = JSON.parse(await readFile(journalFile, 'utf8')) as { entries: Array<{ tag: string }> };
    journal.entries = journal.entries.filter((e) => e.tag < '0003');
    await writeFile(journalFile, JSON.stringify(journal));
    if (testDb.url) {
      const client = postgres(testDb.url, { max: 1, onnotice: () => undefined });
      await migratePostgres(drizzlePostgres({ client }), { migrationsFolder: folder });
      await client.unsafe(OLD_ROWS);
      await client.end();
    } else {
      const client = await PGlite.create({ dataDir: testDb.dataDir });
      await migratePglite(drizzlePglite({ client }), { migrationsFolder: folder });
      await client.exec(OLD_ROWS);
      await client.close();
    }
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

async function sqlState(run: Promise<unknown>): Promise<string | undefined> {
  try {
    await run;
    return undefined;
  } catch (error) {
    const e = error as { code?: string; cause?: { code?: string } };
    return e.cause?.code ?? e.code;
  }
}

describe(`migration 0003 on an existing database with bad rows (${DRIVER})`, () => {
  let testDb: TestDatabase;
  let firm: FirmDatabase;

  beforeAll(async () => {
    testDb = await createTestDatabase(process.env.DATABASE_URL ? 'postgres' : 'pglite-dir');
    await databaseBefore0003(testDb);
    firm = await openFirmDatabase({ databaseUrl: testDb.url, dataDir: testDb.dataDir });
  });
  afterAll(async () => {
    await firm?.close();
    await testDb?.drop();
  });

  it('takes the migration at start: constraints the old rows break stay NOT VALID, the others are validated', async () => {
    const rows = rowsOf<{ name: string; valid: boolean }>(
      await firm.db.execute(sql`select conname::text as name, convalidated as valid from pg_constraint where connamespace = 'public'::regnamespace and contype in ('c', 'f') order by 1`),
    );
    const mine = [...readFileSync(join(MIGRATIONS, '0003_constraints.sql'), 'utf8').matchAll(/ADD CONSTRAINT "(\w+)"/g)].map((m) => m[1]);
    expect(mine).toHaveLength(21);
    const state = Object.fromEntries(rows.filter((r) => mine.includes(r.name)).map((r) => [r.name, r.valid]));
    expect(Object.keys(state)).toHaveLength(21);
    expect(state).toMatchObject({ lots_status_check: false, quality_inspections_lot_fk: false, lots_part_fk: true, shipments_status_check: true, agreements_state_check: true });
    expect(Object.values(state).filter((v) => !v)).toHaveLength(2);
    expect(await unvalidatedConstraints(firm.db)).toEqual(['lots.lots_status_check', 'quality_inspections.quality_inspections_lot_fk']);
  });

  it('refuses every new bad row, even under a constraint left NOT VALID', async () => {
    expect(await sqlState(firm.db.execute(sql`insert into lots values ('f', 'L3', 'P1', 1, 'pcs', now(), 'on hold', null)`))).toBe('23514');
    expect(await sqlState(firm.db.execute(sql`update lots set status = 'lost' where lot_id = 'L1'`))).toBe('23514');
    expect(await sqlState(firm.db.execute(sql`insert into shipments values ('f', 'SH2', 'c', null, now(), now(), null, 'LOST', 'x')`))).toBe('23514');
    expect(await sqlState(firm.db.execute(sql`insert into quality_inspections values ('f', 'QI2', 'L-none', 'c', 1, 0, 2, 'mm', 'PASS', now())`))).toBe('23503');
    expect(await sqlState(firm.db.execute(sql`insert into lots values ('f', 'L4', 'P-none', 1, 'pcs', now(), 'RELEASED', null)`))).toBe('23503');
    expect(await sqlState(firm.db.execute(sql`insert into parts values ('f', 'P2', 'PN2', null, 'c', 'pcs', 1)`))).toBe('23502');
    // deferred: a lot and the run that produced it, written in either order in one transaction
    await firm.db.transaction(async (tx) => {
      await tx.execute(sql`insert into lots values ('f', 'L5', 'P1', 1, 'pcs', now(), 'RELEASED', 'R5')`);
      await tx.execute(sql`insert into production_runs values ('f', 'R5', 'P1', 'line', 1, 1, 'DONE', now(), now(), 'L5')`);
    });
  });
});

describe(`the read side never turns a bad stored value into an internal error (${DRIVER})`, () => {
  let cluster: TestCluster;
  const LOTS = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Firm { lots(first: 100) { lotId status quantity producedAt } } } }`;

  beforeAll(async () => {
    cluster = await startTestCluster({ seed: { lotsPerFirm: 12 } });
    const db = cluster.firms.get('structura')?.database.db;
    if (!db) throw new Error('no structura');
    // someone bypassed the constraints: dropped the CHECK, then wrote values the schema cannot represent
    await db.execute(sql`alter table lots drop constraint lots_status_check`);
    await db.execute(sql`update lots set status = 'on hold' where lot_id = 'structura-L0001'`);
    await db.execute(sql`update lots set quantity = 'NaN' where lot_id = 'structura-L0002'`);
    await db.execute(sql`update lots set produced_at = 'infinity' where lot_id = 'structura-L0003'`);
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('fails only the bad fields, each with STORED_VALUE_INVALID naming the type, the field and the row', async () => {
    const token = cluster.token('structura', { roles: ['planner'] });
    const result = await postAsGateway(cluster, { firmId: 'structura' }, LOTS, { token, variables: { r: [{ __typename: 'Firm', id: 'structura' }] } });
    const errors = (result.errors ?? []).map((e) => ({ code: e.extensions?.code, type: e.extensions?.type, field: e.extensions?.field, key: e.extensions?.key }));
    expect(errors).toEqual(
      expect.arrayContaining([
        { code: 'STORED_VALUE_INVALID', type: 'Lot', field: 'status', key: 'structura-L0001' },
        { code: 'STORED_VALUE_INVALID', type: 'Lot', field: 'quantity', key: 'structura-L0002' },
        { code: 'STORED_VALUE_INVALID', type: 'Lot', field: 'producedAt', key: 'structura-L0003' },
      ]),
    );
    expect(errors).toHaveLength(3);
    expect(result.errors?.[0]?.message).toMatch(/^Lot structura-L000\d of firm structura holds a \w+ that cannot be served: it is not/);
    expect(JSON.stringify(result.errors)).not.toContain('on hold');
    const lots = (result.data as { _entities: Array<{ lots: Array<Record<string, unknown>> }> })._entities[0]?.lots ?? [];
    const byId = new Map(lots.map((l) => [l.lotId, l]));
    expect(byId.get('structura-L0001')).toMatchObject({ status: null, quantity: expect.any(Number) });
    expect(byId.get('structura-L0002')).toMatchObject({ quantity: null, status: expect.any(String) });
    expect(byId.get('structura-L0004')).toMatchObject({ status: expect.any(String), quantity: expect.any(Number), producedAt: expect.any(String) });
  });
});
