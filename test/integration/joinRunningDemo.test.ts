/**
 * A new firm joins the running demo (issue 9), as the README's "Running a partner firm" walks
 * through it, every step a `dataspace` child process: the demo on a fresh data folder and free
 * ports; `init firm` (its keys, a starter policy that passes `policy check`, its config, the
 * member and relationship added to the demo's registry file); the import of its CSV folder; the
 * firm started on its own database (PGlite in the PGlite run, a fresh PostgreSQL database in the
 * PostgreSQL run); once the running gateway and structura have re-read the registry (waited
 * for, on their /health), structura's integration user records a receipt of titanforge's
 * shipment into one of its lots, skyframe's planner walks the genealogy through the gateway down
 * to titanforge's lots, and titanforge's admin sees that read in its own access log.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../harness/createTestDatabase.js';
import { at, postGraphQL, type GraphQLResult } from '../harness/graphqlClient.js';
import { freePorts, pollUntil, PROJECT_ROOT, runDataspace, spawnDataspace, type DataspaceProcess, type DataspaceRun } from '../harness/spawnDataspace.js';

const DRIVER = process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite';
const NEW_FIRM = 'titanforge';
const IMPORT_FOLDER = join(PROJECT_ROOT, 'demo', 'import-example');
/** The demo's firms, and the one that joins. */
const MEMBERS_AFTER = 8;

interface DemoStarted {
  gateway: string;
  registry: string;
  registryFile: string;
  firms: { id: string; subgraphs: { firm: string } }[];
}

describe(`a new firm joins the running demo, every step a dataspace command (${DRIVER})`, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'dataspace-join-'));
  const env = { DATASPACE_DATA_DIR: dataDir };
  const firmFile = join(dataDir, 'firms', `${NEW_FIRM}.yaml`);
  const policyFile = join(dataDir, 'firms', `${NEW_FIRM}.policy.yaml`);
  const children: DataspaceProcess[] = [];
  let database: TestDatabase | undefined;
  let demo: DemoStarted;
  let firm: DataspaceProcess;
  let planner: string;
  let forgeAdmin: string;
  let shippedLot: string;

  const run = (args: string[]): Promise<DataspaceRun> => runDataspace(args, env, 60_000);
  const token = async (firmId: string, role: string): Promise<string> => {
    const r = await run(['token', '--firm', firmId, '--role', role]);
    expect(r.code, r.stderr).toBe(0);
    return r.stdout.trim();
  };
  const query = async (tokenText: string, text: string, variables?: Record<string, unknown>): Promise<GraphQLResult> =>
    postGraphQL(demo.gateway, text, { token: tokenText, ...(variables ? { variables } : {}) });
  const baseOf = (firmId: string): string => {
    const url = demo.firms.find((f) => f.id === firmId)?.subgraphs.firm;
    if (!url) throw new Error(`no demo firm ${firmId}`);
    return url.replace(/\/firm$/, '');
  };
  const health = async (baseUrl: string): Promise<Record<string, unknown>> => (await fetch(new URL('/health', baseUrl))).json() as Promise<Record<string, unknown>>;

  beforeAll(async () => {
    if (process.env.DATABASE_URL) database = await createTestDatabase('postgres');
    const started = spawnDataspace('demo', ['demo', '--port', '0', '--json'], env);
    children.push(started);
    demo = JSON.parse(await started.waitForLine(/^\{"gateway"/, 120_000)) as DemoStarted;
  });

  afterAll(async () => {
    await Promise.all(children.map((c) => c.stop(5_000)));
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps the demo in its registry file and writes each demo firm its own file', () => {
    expect(demo.registryFile).toBe(join(dataDir, 'cluster.yaml'));
    const structura = readFileSync(join(dataDir, 'firms', 'structura.yaml'), 'utf8');
    expect(structura).toContain(`listen: { host: 127.0.0.1, port: ${new URL(baseOf('structura')).port} }`);
    expect(structura).toContain('database: { dataDir: structura/pgdata }');
  });

  it('init firm refuses an id that exists, a customer that is not a member, a tier that does not fit: exit 2, naming it', async () => {
    const before = readFileSync(demo.registryFile, 'utf8');
    const [taken, stranger, tier] = await Promise.all([
      run(['init', 'firm', '--id', 'precimach', '--tier', '2', '--supplies', 'structura']),
      run(['init', 'firm', '--id', NEW_FIRM, '--tier', '2', '--supplies', 'boeing']),
      run(['init', 'firm', '--id', NEW_FIRM, '--tier', '3', '--supplies', 'structura']),
    ]);
    expect([taken.code, stranger.code, tier.code]).toEqual([2, 2, 2]);
    expect(taken.stderr).toMatch(/option --id: "precimach" is already a member/);
    expect(stranger.stderr).toMatch(/option --supplies: "boeing" is not a member/);
    expect(tier.stderr).toMatch(/option --tier: tier 3 does not fit: structura is tier 1, so its supplier is tier 2/);
    expect(readFileSync(demo.registryFile, 'utf8')).toBe(before);
    expect(existsSync(firmFile)).toBe(false);
  });

  it('init firm writes the firm its config, a starter policy that passes policy check, its keys, and lists it in the registry file', async () => {
    const [port] = await freePorts(1);
    const init = await run([
      'init', 'firm', '--id', NEW_FIRM, '--tier', '2', '--supplies', 'structura', '--name', 'Titanforge Forgings', '--sector', 'forgings',
      '--port', String(port),
      ...(database?.url ? ['--database-url', database.url] : []),
    ]);
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toContain(`npx dataspace firm --config ${firmFile}`);
    expect(init.stdout).toContain(`npx dataspace token --firm ${NEW_FIRM} --role admin`);
    for (const key of [`${NEW_FIRM}.key.pem`, `${NEW_FIRM}.service.key.pem`]) expect(existsSync(join(dataDir, 'keys', key)), key).toBe(true);
    const registry = readFileSync(demo.registryFile, 'utf8');
    expect(registry).toContain(`endpoints: { firm: http://127.0.0.1:${port}/firm, links: http://127.0.0.1:${port}/links }`);
    expect(registry).toContain(`{ supplier: ${NEW_FIRM}, customer: structura }`);
    const check = await run(['policy', 'check', policyFile, '--terms', join(PROJECT_ROOT, 'demo', 'clusterTerms.yaml')]);
    expect(check.code, check.stderr).toBe(0);
    expect(check.stdout).toMatch(/^ok: 4 rules/);
  });

  it('imports its CSV folder', async () => {
    const imported = await run(['import', '--config', firmFile, IMPORT_FOLDER]);
    expect(imported.code, imported.stderr).toBe(0);
  });

  it('starts on its own database and is reached through the running gateway once the directory is refreshed', async () => {
    firm = spawnDataspace(`firm ${NEW_FIRM}`, ['firm', '--config', firmFile], env);
    children.push(firm);
    await firm.waitForLine(new RegExp(`^firm ${NEW_FIRM} \\(${database ? 'postgres' : 'pglite'}\\) serves http://127\\.0\\.0\\.1:\\d+/firm `), 60_000);
    // The events: the gateway and structura (inside the demo) have re-read the registry.
    const gatewayBase = demo.gateway.replace(/\/graphql$/, '');
    await pollUntil(() => health(gatewayBase), (h) => h.members === MEMBERS_AFTER, 30_000, 200);
    await pollUntil(() => health(baseOf('structura')), (h) => h.members === MEMBERS_AFTER, 30_000, 200);
    const lots = await query(await token('skyframe', 'planner'), `{ firm(id: "${NEW_FIRM}") { name tier lots(first: 100) { lotId status part { name } } } }`);
    expect(lots.errors).toBeUndefined();
    expect(at(lots.data, 'firm.tier')).toBe(2);
    // The lead sees the imported lots (ids from the CSV file), their status and part names.
    const imported = readFileSync(join(IMPORT_FOLDER, 'lots.csv'), 'utf8').trim().split('\n').slice(1).map((line) => line.split(',')[0]);
    const served = at(lots.data, 'firm.lots') as { lotId: string; status: string | null; part: { name: string | null } | null }[];
    expect(served.map((l) => l.lotId).sort()).toEqual([...imported].sort());
    for (const lot of served) expect(lot.status !== null && lot.part?.name, lot.lotId).toBeTruthy();
  });

  it("structura's integration user records the receipt of titanforge's shipment into one of its lots (checked through the gateway)", async () => {
    [planner, forgeAdmin] = await Promise.all([token('skyframe', 'planner'), token(NEW_FIRM, 'admin')]);
    const integration = await token('structura', 'integration');
    // A structura lot inside a skyframe lot, and a shipment of titanforge's to structura with its lots.
    const top = await query(planner, '{ firm(id: "skyframe") { lots(first: 1) { lotId components { component { firmId lotId } } } } }');
    expect(top.errors).toBeUndefined();
    const topLot = at(top.data, 'firm.lots.0') as { lotId: string; components: { component: { firmId: string; lotId: string } }[] };
    const structuraLot = topLot.components.map((c) => c.component).find((c) => c.firmId === 'structura');
    if (!structuraLot) throw new Error(`skyframe lot ${topLot.lotId} has no structura component`);
    const shipments = await query(forgeAdmin, `{ firm(id: "${NEW_FIRM}") { shipments(first: 10) { shipmentId customerId lots { lot { lotId } quantity } } } }`);
    expect(shipments.errors).toBeUndefined();
    const shipment = (at(shipments.data, 'firm.shipments') as { shipmentId: string; customerId: string; lots: { lot: { lotId: string }; quantity: number }[] }[]).find((s) => s.customerId === 'structura');
    const shipped = shipment?.lots[0];
    if (!shipment || !shipped) throw new Error(`${NEW_FIRM} has no shipment to structura with lots`);
    shippedLot = shipped.lot.lotId;

    const receipt = await query(
      integration,
      'mutation ($input: ReceiptInput!) { recordReceipt(firmId: "structura", input: $input) { status } }',
      { input: { supplierId: NEW_FIRM, shipmentId: shipment.shipmentId, components: [{ lotId: structuraLot.lotId, lineNo: 90, componentLotId: shipped.lot.lotId, quantityUsed: 1 }] } },
    );
    expect(receipt.errors).toBeUndefined();
    expect(at(receipt.data, 'recordReceipt.status')).toBe('VERIFIED');
  });

  it("skyframe's planner walks the genealogy through the gateway down to titanforge's lot", async () => {
    const walk = await query(
      planner,
      `query Genealogy { firm(id: "skyframe") { lots(first: 1) { lotId components { component { firmId lotId lot {
        components { component { firmId lotId lot { lotId status part { name } } } }
      } } } } } }`,
    );
    expect(walk.errors).toBeUndefined();
    const reached = (at(walk.data, 'firm.lots.0.components') as { component: { lot: { components: { component: { firmId: string; lotId: string; lot: { status: string } | null } }[] } | null } }[])
      .flatMap((c) => c.component.lot?.components ?? [])
      .map((c) => c.component)
      .filter((c) => c.firmId === NEW_FIRM);
    expect(reached).toEqual([{ firmId: NEW_FIRM, lotId: shippedLot, lot: expect.objectContaining({ lotId: shippedLot, status: expect.any(String) }) }]);
  });

  it("titanforge's admin sees skyframe's read of its lot in its own access log", async () => {
    const log = await query(forgeAdmin, `{ firm(id: "${NEW_FIRM}") { accessLog(callerFirm: "skyframe", type: "Lot") { callerFirm callerSubject operationName reads { type rows } } } }`);
    expect(log.errors).toBeUndefined();
    const entries = at(log.data, 'firm.accessLog') as { callerFirm: string; callerSubject: string; operationName: string | null; reads: { type: string; rows: number }[] }[];
    // The gateway names each subgraph fetch after the client's operation: Genealogy__firm__<n>.
    expect(entries.find((e) => e.operationName?.startsWith('Genealogy__'))).toEqual({
      callerFirm: 'skyframe',
      callerSubject: 'planner@skyframe',
      operationName: expect.stringMatching(/^Genealogy__firm__\d+$/),
      reads: expect.arrayContaining([{ type: 'Lot', rows: 1 }]),
    });
  });
});
