import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeLog } from '../../subgraphs/firm/db/governanceTables.js';
import { openFirmDatabase, type FirmDatabase } from '../../subgraphs/firm/db/openFirmDatabase.js';
import { GENESIS_HASH } from '../../subgraphs/firm/hashChain/chainHash.js';
import { readStoredHead, verifyStoredLog } from '../../subgraphs/firm/hashChain/storedChain.js';
import { appendWriteEntry } from '../../subgraphs/firm/writeLog/appendWriteEntry.js';
import { WRITE_LOG_CHAIN } from '../../subgraphs/firm/writeLog/writeLogChain.js';
import type { NewWriteLogEntry } from '../../subgraphs/firm/writeLog/writeLogEntry.js';
import { createTestDatabase, type TestDatabase } from '../harness/createTestDatabase.js';
import { runDataspace } from '../harness/spawnDataspace.js';

const entry = (i: number): NewWriteLogEntry => ({
  at: new Date(Date.UTC(2026, 11, 1, 8, 0, i)),
  actorFirm: 'skyframe',
  actorSubject: `erp@skyframe`,
  roles: ['integration'],
  operation: 'writeRows',
  detail: null,
  changes: [{ table: 'lots', upserted: 1, deleted: 0, keys: [`L-${i}`] }],
});

describe(`the write log: appended in the write's transaction, hash-chained (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  let testDb: TestDatabase;
  let firm: FirmDatabase;
  beforeAll(async () => {
    testDb = await createTestDatabase();
    firm = await openFirmDatabase({ ...(testDb.url ? { databaseUrl: testDb.url } : {}) });
  });
  afterAll(async () => {
    await firm?.close();
    await testDb?.drop();
  });

  it('an empty log verifies at genesis; the first append moves the head', async () => {
    expect(await readStoredHead(firm.db, WRITE_LOG_CHAIN)).toEqual({ seq: 0, hash: GENESIS_HASH });
    expect(await verifyStoredLog(firm.db, WRITE_LOG_CHAIN)).toEqual({ ok: true, entries: 0, head: { seq: 0, hash: GENESIS_HASH } });
    const first = await firm.db.transaction((tx) => appendWriteEntry(tx, entry(1)));
    expect(first).toMatchObject({ seq: 1, prevHash: GENESIS_HASH, operation: 'writeRows' });
    expect(await readStoredHead(firm.db, WRITE_LOG_CHAIN)).toEqual({ seq: 1, hash: first.hash });
  });

  it('an entry rolls back with its write: the chain has no gap', async () => {
    await expect(
      firm.db.transaction(async (tx) => {
        await appendWriteEntry(tx, entry(2));
        throw new Error('the write failed');
      }),
    ).rejects.toThrow('the write failed');
    const next = await firm.db.transaction((tx) => appendWriteEntry(tx, entry(3)));
    expect(next.seq).toBe(2);
    expect(await verifyStoredLog(firm.db, WRITE_LOG_CHAIN)).toMatchObject({ ok: true, entries: 2 });
  });

  it('concurrent writes are chained one after another, never forked', async () => {
    const stored = await Promise.all(Array.from({ length: 12 }, (_, i) => firm.db.transaction((tx) => appendWriteEntry(tx, entry(10 + i)))));
    expect(stored.map((e) => e.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => 3 + i));
    expect(await verifyStoredLog(firm.db, WRITE_LOG_CHAIN)).toMatchObject({ ok: true, entries: 14 });
  });

  it('names the entry whose stored changes were altered, and a deleted head as missing', async () => {
    await firm.db.execute(sql`update write_log set changes = '[{"table":"lots","upserted":0,"deleted":9,"keys":[]}]'::jsonb where seq = 5`);
    expect(await verifyStoredLog(firm.db, WRITE_LOG_CHAIN)).toMatchObject({ ok: false, firstBrokenSeq: 5, reason: expect.stringMatching(/entry 5 was altered/) });
    await firm.db.delete(writeLog).where(sql`seq > 4`);
    await firm.db.execute(sql`delete from write_log_head`);
    expect(await verifyStoredLog(firm.db, WRITE_LOG_CHAIN)).toMatchObject({ ok: false, entries: 4, firstBrokenSeq: 1, reason: expect.stringMatching(/head of the write log .* is missing/) });
  });
});

describe('dataspace log verify --log write (PGlite data folder)', () => {
  let dataRoot: string;
  const firmId = 'skyframe';

  beforeAll(async () => {
    dataRoot = await mkdtemp(join(tmpdir(), 'ds-writelog-cli-'));
    const firm = await openFirmDatabase({ dataDir: join(dataRoot, 'firms', firmId, 'pgdata') });
    for (let i = 1; i <= 3; i += 1) await firm.db.transaction((tx) => appendWriteEntry(tx, entry(i)));
    await firm.close();
  });
  afterAll(async () => rm(dataRoot, { recursive: true, force: true }));

  it('verifies the write log apart from the access log, names a broken entry (exit 1) and refuses an unknown log (exit 2)', async () => {
    const env = { DATASPACE_DATA_DIR: dataRoot };
    const ok = await runDataspace(['log', 'verify', '--firm', firmId, '--log', 'write'], env);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^ok: 3 entries, head [0-9a-f]{64}\n$/);
    const access = await runDataspace(['log', 'verify', '--firm', firmId], env);
    expect(access.stdout).toBe(`ok: 0 entries, head ${GENESIS_HASH}\n`);

    const firm = await openFirmDatabase({ dataDir: join(dataRoot, 'firms', firmId, 'pgdata') });
    await firm.db.execute(sql`update write_log set actor_subject = 'someone-else' where seq = 2`);
    await firm.close();
    const broken = await runDataspace(['log', 'verify', '--firm', firmId, '--log', 'write'], env);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/^broken at entry 2: entry 2 was altered/);
    const unknown = await runDataspace(['log', 'verify', '--firm', firmId, '--log', 'reads'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--log: expected access or write, got "reads"/);
  });
});
