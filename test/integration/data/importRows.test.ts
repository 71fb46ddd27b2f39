import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importSources, readImportFiles } from '../../../subgraphs/firm/data/importFiles.js';
import { importRows, type ImportResult } from '../../../subgraphs/firm/data/importRows.js';
import { writeLog } from '../../../subgraphs/firm/db/governanceTables.js';
import { openFirmDatabase, type FirmDatabase } from '../../../subgraphs/firm/db/openFirmDatabase.js';
import { tables } from '../../../subgraphs/firm/db/tables.js';
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from '../../harness/createTestDatabase.js';

const EXAMPLE = join(import.meta.dirname, '../../../demo/import-example');
const actor = { firmId: 'titanforge', subject: 'ops@titanforge', roles: ['operator'] };

async function rowCounts(firm: FirmDatabase): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const [name, table] of Object.entries(tables)) counts[name] = (await firm.db.select({ n: count() }).from(table))[0]?.n ?? -1;
  return counts;
}

describe.each(testDatabaseKinds())('importRows of files on %s', (kind) => {
  let testDb: TestDatabase;
  let firm: FirmDatabase;
  let dir: string;

  async function importFiles(files: Record<string, string> | string[], options: { dryRun?: boolean } = {}): Promise<ImportResult> {
    let paths: string[];
    if (Array.isArray(files)) paths = files;
    else {
      const folder = await mkdtemp(join(dir, 'case-'));
      for (const [name, text] of Object.entries(files)) await writeFile(join(folder, name), text);
      paths = [folder];
    }
    const read = readImportFiles(await importSources(paths), 'titanforge');
    return importRows(firm.db, read.rows, { actor, files: read.files, ...options });
  }

  async function problemsOf(files: Record<string, string>) {
    const result = await importFiles(files);
    expect(result.ok).toBe(false);
    return result.ok ? [] : result.problems.map((p) => ({ ...p, file: p.file.split('/').pop() }));
  }

  beforeAll(async () => {
    testDb = await createTestDatabase(kind);
    firm = await openFirmDatabase({ databaseUrl: testDb.url, dataDir: testDb.dataDir });
    dir = await mkdtemp(join(tmpdir(), 'ds-import-'));
  });
  afterAll(async () => {
    await firm?.close();
    await testDb?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('validates a dry run and writes nothing', async () => {
    const result = await importFiles([EXAMPLE], { dryRun: true });
    expect(result).toEqual({ ok: true, dryRun: true, rows: 29, changes: [], writeLogSeq: null });
    expect(Object.values(await rowCounts(firm)).every((n) => n === 0)).toBe(true);
  });

  it('imports the example folder, records one write log entry with the files and their SHA-256', async () => {
    const result = await importFiles([EXAMPLE]);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.rows).toBe(29);
    expect(Object.fromEntries(result.changes.map((c) => [c.table, c.upserted]))).toMatchObject({ parts: 3, lots: 3, lotComponents: 3, shipments: 1, qualityInspections: 3 });
    const counts = await rowCounts(firm);
    expect(counts).toMatchObject({ parts: 3, bomLines: 3, lots: 3, lotComponents: 3, productionRuns: 3, shipmentLots: 1, inventoryPositions: 2, sensorAnomalies: 1, sensorReadings: 3 });
    const [entry] = await firm.db.select().from(writeLog);
    expect(entry).toMatchObject({ seq: result.writeLogSeq, actorFirm: 'titanforge', actorSubject: 'ops@titanforge', operation: 'import' });
    const sha = createHash('sha256').update(readFileSync(join(EXAMPLE, 'lots.csv'))).digest('hex');
    expect(entry?.detail).toContain(`lots.csv (sha256 ${sha})`);
    expect(entry?.changes).toEqual(result.changes);
  });

  it('changes nothing when the same files are imported again (and appends no write log entry)', async () => {
    const before = await rowCounts(firm);
    expect(await importFiles([EXAMPLE])).toEqual({ ok: true, dryRun: false, rows: 29, changes: [], writeLogSeq: null });
    expect(await rowCounts(firm)).toEqual(before);
    expect((await firm.db.select().from(writeLog)).length).toBe(1);
  });

  it('upserts by key: a changed row is updated, a new one inserted', async () => {
    const result = await importFiles({
      'lots.csv': 'lotId,partId,quantity,uom,producedAt,status,runId\ntitanforge-L0003,titanforge-P02,30,pcs,2026-10-12T13:30:00Z,RELEASED,\ntitanforge-L0004,titanforge-P02,5,pcs,2026-11-01T00:00:00Z,RELEASED,\n',
    });
    expect(result.ok && result.changes).toEqual([{ table: 'lots', upserted: 2, deleted: 0, keys: ['titanforge-L0003', 'titanforge-L0004'] }]);
  });

  it('refuses a file with any bad row and imports nothing of any file, naming file, line, column and reason', async () => {
    const before = await rowCounts(firm);
    const problems = await problemsOf({
      'parts.csv': 'partId,partNumber,name,category,uom,unitCost\ntitanforge-P10,TF-10,"Bolt, long",fastener,pcs,2\n',
      'lots.csv': [
        'lotId,partId,quantity,uom,producedAt,status,runId',
        'titanforge-L0100,titanforge-P10,1,pcs,2026-10-01T00:00:00Z,on hold,',
        '',
        'titanforge-L0101,titanforge-P10,ten,pcs,2026-10-01T00:00:00Z,RELEASED,',
        ',titanforge-P10,1,pcs,2026-10-01T00:00:00Z,RELEASED,',
        'titanforge-L0102,titanforge-P10,1,pcs,2026-10-01T00:00:00Z,RELEASED,',
        'titanforge-L0102,titanforge-P10,2,pcs,2026-10-01T00:00:00Z,RELEASED,',
        'titanforge-L0103,titanforge-P77,1,pcs,2026-10-01T00:00:00Z,RELEASED,',
      ].join('\n'),
      'lot-components.csv': 'lotId,lineNo,componentFirmId,componentLotId,quantityUsed\ntitanforge-L0102,1,titanforge,titanforge-L0404,1\ntitanforge-L0102,2,alumill,alumill-L9999,1\n',
    });
    expect(problems).toEqual([
      { file: 'lot-components.csv', line: 2, column: 'componentLotId', code: 'MISSING_REFERENCE', reason: "componentLotId 'titanforge-L0404' does not exist: no row of lots with lotId 'titanforge-L0404', neither in this import nor in the database" },
      { file: 'lots.csv', line: 2, column: 'status', code: 'UNKNOWN_ENUM_VALUE', reason: "unknown enum value 'on hold' (expected one of RELEASED, QUARANTINED, CONSUMED, SHIPPED, SCRAPPED)" },
      { file: 'lots.csv', line: 4, column: 'quantity', code: 'WRONG_TYPE', reason: "wrong type: 'ten' is not a finite number" },
      { file: 'lots.csv', line: 5, column: 'lotId', code: 'MISSING_VALUE', reason: 'missing value: lotId is required' },
      { file: 'lots.csv', line: 7, column: 'lotId', code: 'DUPLICATE_KEY', reason: expect.stringMatching(/^duplicate key lotId 'titanforge-L0102' \(first at .*lots\.csv line 6\)$/) },
      { file: 'lots.csv', line: 8, column: 'partId', code: 'MISSING_REFERENCE', reason: "partId 'titanforge-P77' does not exist: no row of parts with partId 'titanforge-P77', neither in this import nor in the database" },
    ]);
    expect(await rowCounts(firm)).toEqual(before);
  });

  it('checks references against the database: a part imported earlier satisfies a new lot', async () => {
    const result = await importFiles({ 'lots.csv': 'lotId,partId,quantity,uom,producedAt,status\ntitanforge-L0200,titanforge-P01,1,pcs,2026-10-01T00:00:00Z,RELEASED\n' });
    expect(result.ok).toBe(true);
  });

  it("refuses another firm's rows, an unknown or missing column, bad CSV and a file it does not know", async () => {
    expect(await problemsOf({ 'parts.csv': 'firmId,partId,partNumber,name,category,uom,unitCost\nstructura,P1,N,n,c,pcs,1\n' })).toEqual([
      { file: 'parts.csv', line: 2, column: 'firmId', code: 'NOT_OWN_FIRM', reason: "firmId 'structura' is not this firm (titanforge): a firm writes its own rows only" },
    ]);
    expect((await problemsOf({ 'parts.csv': 'partId,partNumber,name,category,uom,unitCost,colour\nP1,N,n,c,pcs,1,red\n' }))[0]).toMatchObject({ line: 1, column: 'colour', code: 'UNKNOWN_COLUMN' });
    expect((await problemsOf({ 'parts.csv': 'partNumber,name,category,uom,unitCost\nN,n,c,pcs,1\n' }))[0]).toMatchObject({ line: 1, column: 'partId', reason: 'missing column: partId is required' });
    expect((await problemsOf({ 'parts.csv': 'partId,partNumber,name,category,uom,unitCost\nP1,N,n,c,pcs\n' }))[0]).toMatchObject({ line: 2, reason: expect.stringMatching(/^not valid CSV: Invalid Record Length/) });
    expect((await problemsOf({ 'parts.csv': 'partId,partNumber,name,category,uom,unitCost\n"P1,N,n,c,pcs,1\n' }))[0]?.reason).toMatch(/^not valid CSV/);
    await expect(importFiles({ 'colours.csv': 'a\n1\n' })).rejects.toThrow(/colours\.csv: not a file this import knows \(expected parts\.csv, bom-lines\.csv/);
  });

  it('imports JSON in the export format: any subset of its data tables, with a line per row', async () => {
    const doc = ['{"format":"cluster-dataspace-firm-export","formatVersion":1,"firmId":"titanforge","data":{"parts":{"table":"parts","rows":[',
      '{"firmId":"titanforge","partId":"titanforge-P20","partNumber":"TF-20","name":"ring","category":"forging","uom":"pcs","unitCost":3.5}',
      ']},"sensorAnomalies":{"rows":[',
      '{"anomalyId":"titanforge-AN0100","machineId":"m","metric":"t","value":1,"threshold":2,"detectedAt":"2026-11-01T00:00:00.000Z","severity":"SEVERE","runId":null}',
      ']}}}'].join('\n');
    expect(await problemsOf({ 'subset.json': doc })).toEqual([
      { file: 'subset.json', line: 4, column: 'severity', code: 'UNKNOWN_ENUM_VALUE', reason: "unknown enum value 'SEVERE' (expected one of LOW, MEDIUM, HIGH)" },
    ]);
    const fixed = await importFiles({ 'subset.json': doc.replace('SEVERE', 'HIGH') });
    expect(fixed.ok && fixed.changes.map((c) => [c.table, c.upserted])).toEqual([['parts', 1], ['sensorAnomalies', 1]]);
    expect((await problemsOf({ 'other.json': doc.replace('"firmId":"titanforge","data"', '"firmId":"structura","data"') }))[0]?.reason).toBe('this is an export of firm "structura", not of titanforge');
    expect((await problemsOf({ 'bad.json': '{"data":{"parts":{"rows":[{"partId":' }))[0]?.reason).toMatch(/^not valid JSON/);
    expect((await problemsOf({ 'odd.json': '{"data":{"colours":{"rows":[{}]}}}' }))[0]?.reason).toMatch(/^unknown table "colours" in data/);
  });
});
