import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postImport } from '../../../cli/postImport.js';
import { firmFilePath } from '../../../local/writeClusterFiles.js';
import { importSources, readImportFiles } from '../../../subgraphs/firm/data/importFiles.js';
import { writeLog } from '../../../subgraphs/firm/db/governanceTables.js';
import { openFirmDatabase } from '../../../subgraphs/firm/db/openFirmDatabase.js';
import { lots, parts, tables } from '../../../subgraphs/firm/db/tables.js';
import { createTestDatabase, type TestDatabase } from '../../harness/createTestDatabase.js';
import { postAsGateway } from '../../harness/postAsGateway.js';
import { runDataspace } from '../../harness/spawnDataspace.js';
import { startTestCluster, type TestCluster } from '../../harness/testCluster.js';

const DRIVER = process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite';
const EXAMPLE = 'demo/import-example';
/** Every bad input the issue names, one per line: unknown enum value, wrong type, missing key, duplicate key, a component lot that does not exist. */
const BAD_FILES: Record<string, string> = {
  'parts.csv': 'partId,partNumber,name,category,uom,unitCost\ntitanforge-P01,TF-1001,Wing fitting,forging,pcs,1840.5\n',
  'lots.csv': [
    'lotId,partId,quantity,uom,producedAt,status,runId',
    'titanforge-L0009,titanforge-P01,4,pcs,2026-10-01T18:00:00Z,on hold,',
    'titanforge-L0010,titanforge-P01,four,pcs,2026-10-01T18:00:00Z,RELEASED,',
    ',titanforge-P01,4,pcs,2026-10-01T18:00:00Z,RELEASED,',
    'titanforge-L0011,titanforge-P01,4,pcs,2026-10-01T18:00:00Z,RELEASED,',
    'titanforge-L0011,titanforge-P01,5,pcs,2026-10-01T18:00:00Z,RELEASED,',
  ].join('\n'),
  'lot-components.csv': 'lotId,lineNo,componentFirmId,componentLotId,quantityUsed\ntitanforge-L0011,1,titanforge,titanforge-L0404,1\ntitanforge-L0011,2,alumill,alumill-L9999,1\n',
};

async function firmFile(dir: string, database: string): Promise<string> {
  const file = join(dir, 'titanforge.yaml');
  await writeFile(
    file,
    `firmId: titanforge\nlisten: { host: 127.0.0.1, port: 4190 }\ndatabase: ${database}\npolicyFile: ./titanforge.policy.yaml\n` +
      'registryUrl: http://127.0.0.1:4001\nserviceKeyFile: ./service.key.pem\noperatorPublicKeyFiles: [./operator.pub.pem]\n',
  );
  return file;
}

describe(`dataspace import as a child process, no firm running (${DRIVER})`, () => {
  let dir: string;
  let testDb: TestDatabase | undefined;
  let config: string;
  let open: () => ReturnType<typeof openFirmDatabase>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ds-import-cli-'));
    if (process.env.DATABASE_URL) {
      testDb = await createTestDatabase('postgres');
      const url = testDb.url ?? '';
      config = await firmFile(dir, `{ url: "${url}" }`);
      open = () => openFirmDatabase({ databaseUrl: url });
    } else {
      config = await firmFile(dir, '{ dataDir: ./data }');
      open = () => openFirmDatabase({ dataDir: join(dir, 'data') });
    }
    await mkdir(join(dir, 'bad'));
    for (const [name, text] of Object.entries(BAD_FILES)) await writeFile(join(dir, 'bad', name), text);
  });
  afterAll(async () => {
    await testDb?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses bad rows with exit 2, each named by file, line, column and reason (every case of the issue), and writes nothing of any file', async () => {
    const run = await runDataspace(['import', '--config', config, join(dir, 'bad')], {}, 60_000);
    expect(run.code).toBe(2);
    const lots = join(dir, 'bad', 'lots.csv');
    expect(run.stderr).toBe(
      [
        'error [IMPORT_INVALID]: import refused, nothing was imported (5 problems):',
        `  ${join(dir, 'bad', 'lot-components.csv')}, line 2, column componentLotId: componentLotId 'titanforge-L0404' does not exist: no row of lots with lotId 'titanforge-L0404', neither in this import nor in the database`,
        `  ${lots}, line 2, column status: unknown enum value 'on hold' (expected one of RELEASED, QUARANTINED, CONSUMED, SHIPPED, SCRAPPED)`,
        `  ${lots}, line 3, column quantity: wrong type: 'four' is not a finite number`,
        `  ${lots}, line 4, column lotId: missing value: lotId is required`,
        `  ${lots}, line 6, column lotId: duplicate key lotId 'titanforge-L0011' (first at ${lots} line 5)`,
        '',
      ].join('\n'),
    );
    const firm = await open();
    try {
      expect((await firm.db.select({ n: count() }).from(parts))[0]?.n).toBe(0);
    } finally {
      await firm.close();
    }
  });

  it('validates with --dry-run and writes nothing', async () => {
    const run = await runDataspace(['import', '--config', config, '--dry-run', EXAMPLE], {}, 60_000);
    expect(run.stdout).toMatch(/dry run: 29 rows valid, nothing written/);
    expect(run.code).toBe(0);
    const firm = await open();
    try {
      expect((await firm.db.select({ n: count() }).from(parts))[0]?.n).toBe(0);
    } finally {
      await firm.close();
    }
  });

  it('imports the example folder into a new firm, then a second run changes nothing', async () => {
    const first = await runDataspace(['import', '--config', config, '--subject', 'ops@titanforge', EXAMPLE], {}, 60_000);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^import into firm titanforge into the (pglite|postgres) database: 29 rows read; written: parts 3, bomLines 3, productionRuns 3, lots 3, /);
    const second = await runDataspace(['import', '--config', config, EXAMPLE], {}, 60_000);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/29 rows read, nothing changed/);
    const firm = await open();
    try {
      for (const [name, n] of Object.entries({ parts: 3, lots: 3, shipments: 1, qualityInspections: 3 })) {
        expect((await firm.db.select({ n: count() }).from(tables[name as 'parts'])).at(0)?.n, name).toBe(n);
      }
      const log = await firm.db.select().from(writeLog);
      expect(log.map((e) => [e.seq, e.actorSubject, e.operation])).toEqual([[1, 'ops@titanforge', 'import']]);
    } finally {
      await firm.close();
    }
  });

  it('exits 2 on a file it does not know, and on a missing folder', async () => {
    await writeFile(join(dir, 'colours.csv'), 'a\n1\n');
    const unknown = await runDataspace(['import', '--config', config, join(dir, 'colours.csv')], {}, 60_000);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('colours.csv: not a file this import knows (expected parts.csv, bom-lines.csv,');
    const missing = await runDataspace(['import', '--config', config, join(dir, 'nowhere')], {}, 60_000);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nowhere: no such file or folder');
  });
});

describe(`dataspace import while the firm runs (${DRIVER})`, () => {
  let cluster: TestCluster;
  let dir: string;
  let folder: string;
  const env = (): Record<string, string> => ({ DATASPACE_DATA_DIR: dir, ...(process.env.DATABASE_URL ? { DATABASE_URL: cluster.databases.urlFor?.('structura') ?? '' } : {}) });
  const tokenFile = async (name: string, token: string): Promise<string> => {
    const file = join(dir, `${name}.token`);
    await writeFile(file, token);
    return file;
  };
  const LOT_QUERY = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Lot { lotId status part { name } } } }`;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ds-import-running-'));
    // PGlite: the firms' databases in the demo's layout (<dir>/firms/<id>/pgdata), held by this process
    cluster = await startTestCluster(process.env.DATABASE_URL ? {} : { dataDir: dir });
    // and structura's file as the demo writes it at each start (<dir>/firms/<id>.yaml: where the firm listens)
    await mkdir(join(dir, 'firms'), { recursive: true });
    await writeFile(
      firmFilePath(dir, 'structura'),
      `firmId: structura\nlisten: { host: 127.0.0.1, port: ${cluster.firms.get('structura')?.server?.port ?? 0} }\ndatabase: { dataDir: ./structura/pgdata }\n` +
        'policyFile: ./structura.policy.yaml\nregistryUrl: http://127.0.0.1:4001\nserviceKeyFile: ./s.key.pem\noperatorPublicKeyFiles: [./o.pub.pem]\n',
    );
    folder = join(dir, 'import');
    await mkdir(folder);
    await writeFile(join(folder, 'parts.csv'), 'partId,partNumber,name,category,uom,unitCost\nstructura-P9001,SA-9001,Imported spar,spar,pcs,12000\n');
    await writeFile(join(folder, 'lots.csv'), 'lotId,partId,quantity,uom,producedAt,status\nstructura-L9001,structura-P9001,2,pcs,2026-11-30T10:00:00Z,RELEASED\n');
  });
  afterAll(async () => {
    await cluster?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it(`imports while the firm serves${process.env.DATABASE_URL ? ' (the command writes PostgreSQL itself)' : ' (through the firm: one writer)'}, and the firm serves the new rows at once`, async () => {
    const token = await tokenFile('integration', cluster.token('structura', { roles: ['integration'], subject: 'erp@structura' }));
    const url = cluster.firms.get('structura')?.server?.url ?? '';
    // the demo's firm: its address from the file the demo wrote for it, no --firm-url
    const run = await runDataspace(['import', '--firm', 'structura', '--token-file', token, folder], env(), 60_000);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(process.env.DATABASE_URL ? 'into the postgres database' : `through the running firm at ${url}`);
    expect(run.stdout).toContain('2 rows read; written: parts 1, lots 1');
    const reader = cluster.token('structura', { roles: ['planner'] });
    const answer = await postAsGateway(cluster, { firmId: 'structura' }, LOT_QUERY, { token: reader, variables: { r: [{ __typename: 'Lot', firmId: 'structura', lotId: 'structura-L9001' }] } });
    expect(answer.errors).toBeUndefined();
    expect(answer.data).toEqual({ _entities: [{ lotId: 'structura-L9001', status: 'RELEASED', part: { name: 'Imported spar' } }] });
    const db = cluster.firms.get('structura')?.database.db;
    const [entry] = (await db?.select().from(writeLog).where(eq(writeLog.operation, 'import'))) ?? [];
    expect(entry?.actorSubject).toBe(process.env.DATABASE_URL ? `${userInfo().username}@structura` : 'erp@structura');
    expect((await db?.select().from(lots).where(eq(lots.lotId, 'structura-L9001')))?.length).toBe(1);
  });

  // The firm's POST /import, as the command uses it while the firm runs on its embedded database (on both drivers here).
  async function upload(token: string, dryRun = true) {
    const read = readImportFiles(await importSources([folder]), 'structura');
    return postImport(cluster.firms.get('structura')?.server?.url ?? '', token, read.rows, read.files, { dryRun });
  }

  it("lets only the firm's own users with the role integration import through it", async () => {
    await expect(upload(cluster.token('structura', { roles: ['planner', 'admin'] }))).rejects.toMatchObject({
      status: 403, code: 'TOKEN_INVALID', message: expect.stringContaining('(403 FORBIDDEN): an import into structura needs the role integration; this token has planner, admin'),
    });
    await expect(upload(cluster.token('skyframe', { roles: ['integration'] }))).rejects.toMatchObject({
      status: 403, message: expect.stringContaining("(403 FORBIDDEN): only structura's own users import into structura; this token is of skyframe"),
    });
    await expect(upload(`${cluster.token('structura', { roles: ['integration'] }).slice(0, -4)}AAAA`)).rejects.toMatchObject({ status: 401, firmCode: 'TOKEN_INVALID' });
    const none = await fetch(`${cluster.firms.get('structura')?.server?.url ?? ''}/import`, { method: 'POST', body: '{"files":[]}\n{"end":true,"files":[]}\n' });
    expect(none.status).toBe(401);
    const get = await fetch(`${cluster.firms.get('structura')?.server?.url ?? ''}/import`);
    expect(get.status).toBe(405);
    expect(await upload(cluster.token('structura', { roles: ['integration'] }))).toMatchObject({ ok: true, dryRun: true, rows: 2 });
  });

  it('refuses bad rows through the firm with the same file, line, column and reason, and a cut-short upload', async () => {
    await writeFile(join(folder, 'lots.csv'), 'lotId,partId,quantity,uom,producedAt,status\nstructura-L9002,structura-P9404,2,pcs,2026-11-30T10:00:00Z,RELEASED\n');
    const result = await upload(cluster.token('structura', { roles: ['integration'] }), false);
    expect(result).toEqual({
      ok: false, code: 'IMPORT_INVALID',
      problems: [{ file: join(folder, 'lots.csv'), line: 2, column: 'partId', code: 'MISSING_REFERENCE', reason: expect.stringMatching(/^partId 'structura-P9404' does not exist/) }],
    });
    const cut = await fetch(`${cluster.firms.get('structura')?.server?.url ?? ''}/import`, {
      method: 'POST', headers: { authorization: `Bearer ${cluster.token('structura', { roles: ['integration'] })}` },
      body: '{"files":["x.csv"]}\n{"t":"parts","f":0,"l":2,"v":{"partId":"structura-P9100","partNumber":"n","name":"n","category":"c","uom":"pcs","unitCost":"1"}}\n',
    });
    expect(cut.status).toBe(422);
    expect(JSON.stringify(await cut.json())).toContain('the upload ended before its closing line: nothing was imported');
    const db = cluster.firms.get('structura')?.database.db;
    expect((await db?.select().from(parts).where(eq(parts.partId, 'structura-P9100')))?.length).toBe(0);
  });
});
