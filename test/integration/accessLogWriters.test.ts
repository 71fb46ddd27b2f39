import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChainWriter, type NewAccessLogEntry } from '../../subgraphs/firm/accessLog/appendEntry.js';
import { verifyStoredChain } from '../../subgraphs/firm/accessLog/verifyStoredChain.js';
import { openFirmDatabase, type FirmDatabase } from '../../subgraphs/firm/db/openFirmDatabase.js';
import { createTestDatabase, type TestDatabase } from '../harness/createTestDatabase.js';

const entry = (i: number, writer: string): NewAccessLogEntry => ({
  at: new Date(Date.UTC(2026, 10, 27, 8, 0, i)),
  callerFirm: writer,
  callerSubject: `user-${i}`,
  roles: ['planner'],
  purpose: null,
  operationName: null,
  operationHash: 'x'.repeat(64),
  reads: [{ type: 'Lot', fields: ['status'], rows: i, rules: ['r'] }],
  deniedFields: [],
});

describe(`several writers on one firm database (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  let testDb: TestDatabase;
  const handles: FirmDatabase[] = [];

  beforeAll(async () => {
    testDb = await createTestDatabase();
    const first = await openFirmDatabase({ databaseUrl: testDb.url, dataDir: testDb.dataDir });
    handles.push(first);
    // On PostgreSQL a second connection pool, as a second instance of the firm would have;
    // on PGlite (one process per database) the same database.
    handles.push(testDb.url ? await openFirmDatabase({ databaseUrl: testDb.url }) : first);
  });
  afterAll(async () => {
    for (const h of new Set(handles)) await h.close();
    await testDb?.drop();
  });

  it('never forks the chain when independent writers append at once', async () => {
    const writers = [new ChainWriter(handles[0]!.db), new ChainWriter(handles[1]!.db), new ChainWriter(handles[1]!.db)];
    const appended = await Promise.all(Array.from({ length: 60 }, (_, i) => writers[i % 3]!.append(entry(i + 1, `w${i % 3}`))));
    expect(new Set(appended.map((e) => e.seq)).size).toBe(60);
    expect(Math.max(...appended.map((e) => e.seq))).toBe(60);
    const verification = await verifyStoredChain(handles[0]!.db);
    expect(verification.ok).toBe(true);
    expect(verification.entries).toBe(60);
  });
});
