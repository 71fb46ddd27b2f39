import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asc } from 'drizzle-orm';
import { getTableConfig, type PgTable } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPolicyFile } from '../../../cli/commands/logCommand.js';
import { demoPolicyFile } from '../../../demo/demoCluster.js';
import { exportFirmData } from '../../../subgraphs/firm/accessLog/exportFirmData.js';
import { importSources, readImportFiles } from '../../../subgraphs/firm/data/importFiles.js';
import { importRows } from '../../../subgraphs/firm/data/importRows.js';
import { GOVERNANCE_SPECS, TABLE_SPECS } from '../../../subgraphs/firm/data/tableSpecs.js';
import { verifyExportArchive } from '../../../subgraphs/firm/data/verifyExportArchive.js';
import type { FirmDb } from '../../../subgraphs/firm/db/firmDb.js';
import { accessLog, writeLog } from '../../../subgraphs/firm/db/governanceTables.js';
import { openFirmDatabase } from '../../../subgraphs/firm/db/openFirmDatabase.js';
import { createTestDatabase, testDatabaseKinds } from '../../harness/createTestDatabase.js';
import { at, postGraphQL } from '../../harness/graphqlClient.js';
import { GENEALOGY_QUERY } from '../../harness/queries.js';
import { runDataspace } from '../../harness/spawnDataspace.js';
import { startTestCluster, type TestCluster } from '../../harness/testCluster.js';

const DRIVER = process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite';
const ASK = `mutation ($input: AccessRequestInput!) { requestAccess(firmId: "structura", input: $input) { requestId } }`;
const GRANT = `mutation ($id: ID!) { decideAccessRequest(firmId: "structura", requestId: $id, decision: GRANT) { agreement { agreementId } } }`;
const RE_IMPORTED = [...TABLE_SPECS, ...GOVERNANCE_SPECS];

/** Every row of a table, in key order (as the export writes them). */
async function rowsOf(db: FirmDb, table: PgTable): Promise<unknown[]> {
  const config = getTableConfig(table);
  const key = config.primaryKeys[0]?.columns ?? config.columns.filter((c) => c.primary);
  return db.select().from(table).orderBy(...key.map((c) => asc(c)));
}

describe(`leaving with the data: an export imported into an empty database restores the firm (${DRIVER})`, () => {
  let cluster: TestCluster;
  let dir: string;
  let file: string;
  let source: FirmDb;

  beforeAll(async () => {
    cluster = await startTestCluster({ directoryRefreshMs: 0 });
    dir = await mkdtemp(join(tmpdir(), 'ds-round-trip-'));
    const db = cluster.firms.get('structura')?.database.db;
    if (!db) throw new Error('no structura');
    source = db;
    // What a firm's life leaves behind: reads in its access log, an agreement it granted, a write in its write log.
    for (const firm of ['skyframe', 'skyframe', 'avionix']) {
      const r = await postGraphQL(cluster.gatewayUrl, GENEALOGY_QUERY, { token: cluster.token(firm, { roles: ['planner'] }) });
      expect(r.errors?.filter((e) => e.extensions?.code !== 'FORBIDDEN') ?? []).toEqual([]);
    }
    const asked = await postGraphQL(cluster.gatewayUrl, ASK, {
      token: cluster.token('avionix', { roles: ['planner'], purpose: 'planning' }),
      variables: { input: { types: ['Shipment'], fields: ['shipmentId', 'status'], purpose: 'planning', days: 30 } },
    });
    const granted = await postGraphQL(cluster.gatewayUrl, GRANT, { token: cluster.token('structura', { roles: ['admin'] }), variables: { id: at(asked.data, 'requestAccess.requestId') } });
    expect(at(granted.data, 'decideAccessRequest.agreement.agreementId')).toBe('structura-AG0001');
    await mkdir(join(dir, 'csv'));
    await writeFile(join(dir, 'csv', 'parts.csv'), 'partId,partNumber,name,category,uom,unitCost\nstructura-P9100,SA-9100,"Rib, machined",rib,pcs,420\n');
    const read = readImportFiles(await importSources([join(dir, 'csv')]), 'structura');
    expect((await importRows(source, read.rows, { actor: { firmId: 'structura', subject: 'erp@structura', roles: ['integration'] }, files: read.files })).ok).toBe(true);

    file = join(dir, 'structura.json');
    const out = createWriteStream(file);
    await exportFirmData(
      source,
      { firmId: 'structura', database: { driver: DRIVER, location: 'test' }, policy: readPolicyFile(demoPolicyFile('structura')) },
      { write: (chunk) => new Promise((done) => (out.write(chunk) ? done() : out.once('drain', done))) },
    );
    await new Promise<void>((done) => out.end(done));
  });
  afterAll(async () => {
    await cluster?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it.each(testDatabaseKinds())('into an empty %s database: every row of every data table, agreement and access request is back', async (kind) => {
    const testDb = await createTestDatabase(kind);
    const target = await openFirmDatabase({ databaseUrl: testDb.url, dataDir: testDb.dataDir });
    try {
      const read = readImportFiles(await importSources([file]), 'structura');
      const result = await importRows(target.db, read.rows, { actor: { firmId: 'structura', subject: 'ops@structura', roles: ['operator'] }, files: read.files });
      if (!result.ok) throw new Error(JSON.stringify(result.problems.slice(0, 3)));
      expect(read.meta.archived.accessLog).toBe((await source.select().from(accessLog)).length);
      expect(read.meta.archived.writeLog).toBe(1);
      for (const spec of RE_IMPORTED) {
        const expected = await rowsOf(source, spec.drizzle);
        expect(await rowsOf(target.db, spec.drizzle), spec.table).toEqual(expected);
      }
      let total = 0;
      for (const spec of TABLE_SPECS) total += (await rowsOf(target.db, spec.drizzle)).length;
      expect(total).toBeGreaterThan(50);
      expect((await rowsOf(target.db, GOVERNANCE_SPECS[0]?.drizzle as PgTable)).length).toBe(1);
      // the import itself is the new database's first write; a second import changes nothing
      expect((await target.db.select().from(writeLog)).map((e) => e.operation)).toEqual(['import']);
      const again = readImportFiles(await importSources([file]), 'structura');
      expect(await importRows(target.db, again.rows, { actor: { firmId: 'structura', subject: 'ops@structura', roles: ['operator'] }, files: again.files })).toMatchObject({ ok: true, changes: [] });
    } finally {
      await target.close();
      await testDb.drop();
    }
  });

  it('keeps the old access log and write log as an archive that verifies offline, as the export said, and detects a change', async () => {
    const archive = await verifyExportArchive((await import('node:fs')).createReadStream(file));
    const entries = (await source.select().from(accessLog)).length;
    expect(entries).toBeGreaterThan(1);
    expect(archive.accessLog).toMatchObject({ ok: true, entries });
    expect(archive.writeLog).toMatchObject({ ok: true, entries: 1 });
    expect(archive.stated).toEqual({ accessLog: { ok: true, entries, firstBrokenSeq: null, reason: null }, writeLog: { ok: true, entries: 1, firstBrokenSeq: null, reason: null } });
    const cli = await runDataspace(['log', 'verify', '--export', file], {}, 60_000);
    expect(cli.code).toBe(0);
    expect(cli.stdout).toMatch(new RegExp(`^ok: ${entries} entries, head [0-9a-f]{64} \\(the access log of structura in `));
    const tampered = join(dir, 'tampered.json');
    await writeFile(tampered, (await readFile(file, 'utf8')).replace('"callerFirm":"skyframe"', '"callerFirm":"avionix"'));
    const broken = await runDataspace(['log', 'verify', '--export', tampered], {}, 60_000);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/^broken at entry \d+: /);
    const writes = await runDataspace(['log', 'verify', '--export', file, '--log', 'write'], {}, 60_000);
    expect(writes.stdout).toMatch(/^ok: 1 entries, head [0-9a-f]{64}/);
  });

  it('as the command: dataspace import of the export into a new firm database restores the data and its policy file', async () => {
    const home = join(dir, 'restored');
    await mkdir(home);
    const testDb = await createTestDatabase(process.env.DATABASE_URL ? 'postgres' : 'pglite-dir');
    const config = join(home, 'structura.yaml');
    await writeFile(
      config,
      `firmId: structura\nlisten: { host: 127.0.0.1, port: 4191 }\ndatabase: ${testDb.url ? `{ url: "${testDb.url}" }` : `{ dataDir: "${testDb.dataDir ?? ''}" }`}\n` +
        'policyFile: ./structura.policy.yaml\nregistryUrl: http://127.0.0.1:4001\nserviceKeyFile: ./service.key.pem\noperatorPublicKeyFiles: [./operator.pub.pem]\n',
    );
    try {
      const run = await runDataspace(['import', '--config', config, file], {}, 120_000);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/kept as an archive in the export, not imported: accessLog \(\d+ entries\), writeLog \(1 entries\)/);
      expect(run.stdout).toContain(`policy restored to ${join(home, 'structura.policy.yaml')}`);
      expect(await readFile(join(home, 'structura.policy.yaml'), 'utf8')).toBe(await readFile(demoPolicyFile('structura'), 'utf8'));
      const target = await openFirmDatabase({ databaseUrl: testDb.url, dataDir: testDb.dataDir });
      try {
        for (const spec of RE_IMPORTED) expect(await rowsOf(target.db, spec.drizzle), spec.table).toEqual(await rowsOf(source, spec.drizzle));
      } finally {
        await target.close();
      }
    } finally {
      await testDb.drop();
    }
  });
});
