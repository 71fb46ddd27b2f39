import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../subgraphs/firm/db/rowsOf.js';
import { at, postGraphQL, type GraphQLResult } from '../harness/graphqlClient.js';
import { policyVariants } from '../harness/policyVariants.js';
import { policyReaderToken } from '../../subgraphs/firm/policyEndpoint.js';
import { startTestCluster, type TestCluster } from '../harness/testCluster.js';

type Json = Record<string, unknown>;

const errorsOf = (r: GraphQLResult, code: string) => (r.errors ?? []).filter((e) => e.extensions?.code === code);

describe(`the owner decides, at the owner (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  let cluster: TestCluster;
  const ask = (firmId: string, query: string, o: { roles?: string[]; purpose?: string; variables?: Record<string, unknown> } = {}) =>
    postGraphQL(cluster.gatewayUrl, query, {
      token: cluster.token(firmId, { roles: o.roles ?? ['planner'], ...(o.purpose ? { purpose: o.purpose } : {}) }),
      ...(o.variables ? { variables: o.variables } : {}),
    });

  beforeAll(async () => {
    cluster = await startTestCluster({
      seed: { lotsPerFirm: 30 },
      policyFileFor: policyVariants({
        // circuitra stops sharing its production with its customers: give-to-get fails for it at avionix.
        circuitra: { remove: ['customers-follow-production'] },
        // structura tries to grant its unit costs: the cluster prohibition wins.
        structura: {
          add: [
            { id: 'customers-see-costs', who: { relationship: ['customer'] }, types: ['Part'], fields: '*' },
            { id: 'future-campaign', who: { relationship: ['customer'] }, types: ['SensorAnomaly'], fields: '*', valid: { from: '2099-01-01' } },
            { id: 'current-campaign', who: { relationship: ['customer'] }, types: ['ProductionRun'], fields: '*', valid: { from: '2020-01-01', until: '2099-01-01' } },
          ],
        },
      }),
    });
  });
  afterAll(async () => cluster?.stop());

  it('why: quality data only for a declared purpose in the rule', async () => {
    const q = '{ firm(id: "precimach") { qualityInspections(first: 5) { inspectionId value result } } }';
    const none = await ask('structura', q);
    expect(at(none.data, 'firm.qualityInspections')).toBeNull();
    expect(errorsOf(none, 'FORBIDDEN')[0]?.message).toMatch(/purpose/);
    const other = await ask('structura', q, { purpose: 'logistics' });
    expect(at(other.data, 'firm.qualityInspections')).toBeNull();
    const right = await ask('structura', q, { purpose: 'quality-investigation' });
    expect(right.errors).toBeUndefined();
    expect((at(right.data, 'firm.qualityInspections') as Json[]).length).toBeGreaterThan(0);
  });

  it('when: a rule outside its validity window does not apply; one inside does', async () => {
    const r = await ask('skyframe', '{ firm(id: "structura") { sensorAnomalies(first: 3) { anomalyId } productionRuns(first: 3) { runId line } } }');
    expect(at(r.data, 'firm.sensorAnomalies')).toBeNull();
    const anomalies = (r.errors ?? []).find((e) => e.path?.includes('sensorAnomalies'));
    expect(anomalies?.message).toMatch(/future-campaign: not valid before 2099/);
    expect((at(r.data, 'firm.productionRuns') as Json[])[0]?.line).toEqual(expect.any(String));
  });

  it('how: coarsened values for members, exact values for direct customers', async () => {
    const q = '{ firm(id: "precimach") { inventory(first: 50) { positionId onHand updatedAt } } }';
    const exact = await ask('structura', q);
    const coarse = await ask('cuprum', q, { purpose: 'planning' });
    expect(exact.errors).toBeUndefined();
    expect(coarse.errors).toBeUndefined();
    const truth = new Map((at(exact.data, 'firm.inventory') as Json[]).map((p) => [p.positionId, p]));
    const rows = at(coarse.data, 'firm.inventory') as Json[];
    expect(rows.length).toBe(truth.size);
    for (const row of rows) {
      const t = truth.get(row.positionId) as Json;
      expect(row.onHand).toBe(Math.round(Number(t.onHand) / 50) * 50);
      const week = new Date(String(row.updatedAt));
      expect(week.getUTCDay()).toBe(1);
      expect(week.getUTCHours()).toBe(0);
      const exactTime = new Date(String(t.updatedAt)).getTime();
      expect(exactTime - week.getTime()).toBeGreaterThanOrEqual(0);
      expect(exactTime - week.getTime()).toBeLessThan(7 * 86_400_000);
    }
    const noPurpose = await ask('cuprum', q);
    expect(at(noPurpose.data, 'firm.inventory')).toBeNull();
  });

  it('how: aggregates only, over groups of at least k rows, never a smaller one', async () => {
    const q = `query($g: [String!]) { firm(id: "alumill") { aggregate(type: "QualityInspection", groupBy: $g,
      measures: [{ fn: COUNT }, { fn: AVG, field: "value" }]) { minGroupSize groups { key { field value } count values } suppressedGroups rules } } }`;
    const coarse = await ask('structura', q, { roles: ['analyst'], purpose: 'benchmarking', variables: { g: ['characteristic'] } });
    expect(coarse.errors).toBeUndefined();
    const fine = await ask('structura', q, { roles: ['analyst'], purpose: 'benchmarking', variables: { g: ['characteristic', 'unit', 'result'] } });
    const all = [coarse, fine].map((r) => at(r.data, 'firm.aggregate') as { minGroupSize: number; groups: { count: number }[]; suppressedGroups: number });
    for (const a of all) {
      expect(a.minGroupSize).toBe(5);
      expect(a.groups.every((g) => g.count >= 5)).toBe(true);
    }
    // The truth from alumill's own database: every group of at least 5 is there, every smaller one held back.
    const inspections = await cluster.firms.get('alumill')?.database.db.execute(
      'select characteristic, unit, result, count(*)::int as n from quality_inspections group by 1, 2, 3',
    );
    const groups = rowsOf<Json>(inspections).map((g) => Number(g.n));
    expect(all[1]?.groups.length).toBe(groups.filter((n) => n >= 5).length);
    expect(all[1]?.suppressedGroups).toBe(groups.filter((n) => n < 5).length);
    // No rows for the analyst, no aggregate for a planner, no other grouping.
    const rows = await ask('structura', '{ firm(id: "alumill") { qualityInspections { value } } }', { roles: ['analyst'], purpose: 'benchmarking' });
    expect(errorsOf(rows, 'FORBIDDEN').length).toBeGreaterThan(0);
    const planner = await ask('structura', q, { purpose: 'benchmarking', variables: { g: ['characteristic'] } });
    expect(errorsOf(planner, 'FORBIDDEN').length).toBe(1);
    const byLot = await ask('structura', q, { roles: ['analyst'], purpose: 'benchmarking', variables: { g: ['lotId'] } });
    expect(errorsOf(byLot, 'FORBIDDEN')[0]?.message).toMatch(/lotId/);
  });

  it('reciprocity: avionix shares its production only with suppliers that share theirs', async () => {
    const q = '{ firm(id: "avionix") { productionRuns(first: 3) { runId status plannedQuantity } } }';
    const giving = await ask('precimach', q, { purpose: 'planning' });
    expect(giving.errors).toBeUndefined();
    expect((at(giving.data, 'firm.productionRuns') as Json[]).length).toBeGreaterThan(0);
    const notGiving = await ask('circuitra', q, { purpose: 'planning' });
    expect(at(notGiving.data, 'firm.productionRuns')).toBeNull();
    expect(errorsOf(notGiving, 'FORBIDDEN')[0]?.message).toMatch(/suppliers-see-our-production-give-to-get: .*reciproc/i);
  });

  it("GET /policy is for members: a member's user or a member firm's reader token of its service key, addressed to this policy", async () => {
    const avionix = cluster.firms.get('avionix');
    const precimach = cluster.firms.get('precimach');
    if (!avionix?.server || !precimach?.server) throw new Error('avionix and precimach must run');
    const directory = cluster.directory.current();
    const policyOf = async (firm: typeof avionix, authorization?: string): Promise<[number, unknown]> => {
      const res = await fetch(new URL('/policy', firm.server?.url), authorization ? { headers: { authorization } } : {});
      const body = (await res.json()) as { source?: string; errors?: { extensions: { code: string } }[] };
      return [res.status, body.errors?.[0]?.extensions.code ?? body.source?.includes('#')];
    };
    // Anonymous or forged: 401 with the codes of every firm endpoint.
    expect(await policyOf(avionix)).toEqual([401, 'UNAUTHENTICATED']);
    expect(await policyOf(avionix, 'Bearer not-a-token')).toEqual([401, 'TOKEN_INVALID']);
    // A user of any member: the file verbatim, comments included.
    expect(await policyOf(avionix, `Bearer ${cluster.token('cuprum')}`)).toEqual([200, true]);
    // A member firm's process, with its service key, for this one firm's policy only.
    const reader = { kind: 'firm' as const, id: 'precimach', privateKeyPem: precimach.serviceKeys.privateKeyPem };
    const forAvionix = policyReaderToken(reader, directory, 'avionix');
    expect(await policyOf(avionix, `Bearer ${forAvionix}`)).toEqual([200, true]);
    expect(await policyOf(precimach, `Bearer ${forAvionix}`)).toEqual([401, 'TOKEN_INVALID']);
    // Not with its user-token key (the service key is a key of its own), nor as a gateway.
    const userKey = policyReaderToken({ ...reader, privateKeyPem: precimach.keys.privateKeyPem }, directory, 'avionix');
    expect(await policyOf(avionix, `Bearer ${userKey}`)).toEqual([401, 'TOKEN_INVALID']);
    const gateway = policyReaderToken({ kind: 'gateway', id: 'main', privateKeyPem: precimach.serviceKeys.privateKeyPem }, directory, 'avionix');
    expect((await policyOf(avionix, `Bearer ${gateway}`))[0]).toBe(401);
    // The give-to-get above read precimach's and circuitra's policies this way: no peer refused avionix.
    expect(avionix.server.metrics.get('dataspace_peer_policy_refused_total')).toBe(0);
  });

  it('prohibitions win: a cluster prohibition over a firm grant, and a firm prohibition over its own grants', async () => {
    const r = await ask('skyframe', '{ firm(id: "structura") { parts(first: 2) { partNumber unitCost } } }');
    const parts = at(r.data, 'firm.parts') as Json[];
    expect(parts[0]?.partNumber).toEqual(expect.any(String));
    expect(parts.every((p) => p.unitCost === null)).toBe(true);
    expect(errorsOf(r, 'FORBIDDEN').every((e) => /cluster:no-unit-costs/.test(e.message))).toBe(true);
    const line = await ask('skyframe', '{ firm(id: "avionix") { productionRuns(first: 2) { status line } } }', { purpose: 'planning' });
    expect(errorsOf(line, 'FORBIDDEN').some((e) => e.extensions?.field === 'line' && /no-line-assignments/.test(e.message))).toBe(true);
  });

  it('the lead sees of a supplier exactly what the supplier rules and the cluster terms grant', async () => {
    for (const type of ['Lot', 'Part', 'Shipment', 'InventoryPosition', 'QualityInspection', 'PurchaseOrder', 'SensorAnomaly']) {
      const ex = await ask('skyframe', `{ firm(id: "structura") { explainAccess(type: "${type}") { fields { field allowed mode } rows matchedRules } } }`);
      expect(ex.errors).toBeUndefined();
      const explanation = at(ex.data, 'firm.explainAccess') as { fields: { field: string; allowed: boolean }[]; rows: string | null };
      expect(explanation.fields.length).toBeGreaterThan(0);
      // What the lead is told it may see is what it gets, field by field.
      const lists: Record<string, string> = {
        Lot: 'lots', Part: 'parts', Shipment: 'shipments', InventoryPosition: 'inventory',
        QualityInspection: 'qualityInspections', PurchaseOrder: 'purchaseOrders', SensorAnomaly: 'sensorAnomalies',
      };
      const scalar = explanation.fields.map((f) => f.field).filter((f) => !['part', 'components', 'inspections', 'productionRun', 'bom', 'lots', 'inventory', 'supplier', 'lines', 'customer', 'order', 'lot', 'anomalies'].includes(f));
      const r = await ask('skyframe', `{ firm(id: "structura") { ${lists[type]}(first: 5) { ${scalar.join(' ')} } } }`);
      const rows = at(r.data, `firm.${lists[type]}`) as Json[] | null;
      if (explanation.rows === 'none') {
        expect(rows).toBeNull();
        continue;
      }
      for (const f of explanation.fields.filter((x) => scalar.includes(x.field))) {
        const denied = (r.errors ?? []).some((e) => e.extensions?.field === f.field);
        if (!f.allowed) expect(rows?.every((row) => row[f.field] === null) ?? true, `${type}.${f.field}`).toBe(true);
        if (f.allowed) expect(denied, `${type}.${f.field} should be let out`).toBe(false);
      }
    }
  });

  it('publishes the catalog and the cluster terms to every member', async () => {
    const r = await ask('cuprum', '{ clusterTerms { version purposes { id } baseline { id } prohibitions { id } } firm(id: "structura") { catalog { ruleId origin mode types purposes } } }');
    expect(r.errors).toBeUndefined();
    expect((at(r.data, 'clusterTerms.purposes') as Json[]).map((p) => p.id)).toContain('quality-investigation');
    expect((at(r.data, 'clusterTerms.prohibitions') as Json[]).map((p) => p.id)).toContain('cluster:no-unit-costs');
    const offers = at(r.data, 'firm.catalog') as Json[];
    expect(offers.some((o) => o.origin === 'CLUSTER')).toBe(true);
    expect(offers.some((o) => o.ruleId === 'customers-trace-lots' && o.origin === 'FIRM')).toBe(true);
  });

  it("explains another caller's access only to the owner's admins", async () => {
    const q = '{ firm(id: "structura") { explainAccess(type: "Lot", asFirm: "alumill") { rows matchedRules } } }';
    const admin = await ask('structura', q, { roles: ['admin'] });
    expect(admin.errors).toBeUndefined();
    expect(at(admin.data, 'firm.explainAccess.rows')).toBe('none');
    const stranger = await ask('skyframe', q, { roles: ['admin'] });
    expect(errorsOf(stranger, 'FORBIDDEN')).toHaveLength(1);
  });
});
