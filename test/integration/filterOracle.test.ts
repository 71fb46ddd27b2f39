import { Kind, parse, type FieldDefinitionNode, type ObjectTypeDefinitionNode, type TypeNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firmDataModel } from '../../schema/model.js';
import { subgraphSdl } from '../../schema/supergraph.js';
import { at, postGraphQL, type GraphQLResult } from '../harness/graphqlClient.js';
import { policyVariants } from '../harness/policyVariants.js';
import { startTestCluster, type TestCluster } from '../harness/testCluster.js';

/**
 * A filter on a field is a read of that field (issue: "a list's filter argument is an oracle
 * for a denied field"). Every filter argument of every list of the firm schema is found in the
 * SDL, so that a new argument is covered without editing this file.
 */
type Json = Record<string, unknown>;

const MODEL = firmDataModel();
const SDL = parse(subgraphSdl('firm'));
const OBJECTS = new Map(
  SDL.definitions.flatMap((d) => (d.kind === Kind.OBJECT_TYPE_DEFINITION ? [[d.name.value, d] as [string, ObjectTypeDefinitionNode]] : [])),
);
const ENUMS = new Map(SDL.definitions.flatMap((d) => (d.kind === Kind.ENUM_TYPE_DEFINITION ? [[d.name.value, (d.values ?? []).map((v) => v.name.value)] as [string, string[]]] : [])));

function named(t: TypeNode): string {
  return t.kind === Kind.NAMED_TYPE ? t.name.value : named(t.type);
}
const isList = (t: TypeNode): boolean => t.kind === Kind.LIST_TYPE || (t.kind === Kind.NON_NULL_TYPE && isList(t.type));

interface FilterArgument {
  list: string;
  type: string;
  arg: string;
  argType: string;
  /** The field the argument filters: the argument's own name, or the instant a range argument bounds (`from` / `to` → `at`). */
  field: string;
}

/** The range arguments of a list (firmResolvers' FIRM_LISTS `range`): `from` and `to` bound the type's one instant field. */
const RANGE_FIELDS: Readonly<Record<string, string>> = { SensorReading: 'at' };
const fieldOf = (type: string, arg: string): string => ((arg === 'from' || arg === 'to') && RANGE_FIELDS[type]) || arg;

/** Every argument of a `Firm` list of a governed type that filters its rows (all but `first`). */
const FILTER_ARGUMENTS: FilterArgument[] = ((OBJECTS.get('Firm')?.fields ?? []) as readonly FieldDefinitionNode[]).flatMap((f) => {
  const type = named(f.type);
  if (!MODEL.types[type] || !isList(f.type)) return [];
  return (f.arguments ?? []).filter((a) => a.name.value !== 'first').map((a) => ({ list: f.name.value, type, arg: a.name.value, argType: named(a.type), field: fieldOf(type, a.name.value) }));
});

/** Lists of a governed type reached from a row by one of the child's fields (firmResolvers: loadRelated). */
const RELATED_LISTS = [
  { parent: 'Part', list: 'lots', type: 'Lot', field: 'partId' },
  { parent: 'Part', list: 'inventory', type: 'InventoryPosition', field: 'partId' },
  { parent: 'Lot', list: 'inspections', type: 'QualityInspection', field: 'lotId' },
  { parent: 'ProductionRun', list: 'anomalies', type: 'SensorAnomaly', field: 'runId' },
];

/** Values tried per range argument: a sample of the owner's instants (every one would be hundreds of requests). */
const RANGE_SAMPLE = 4;

const ALL_TYPES = Object.keys(MODEL.types);
const idOf = (type: string): string => MODEL.types[type]?.keyFields.find((k) => k !== 'firmId') ?? '';

let cluster: TestCluster;
const owner = 'structura';
const tokens = { owner: '', keysOnly: '', partial: '', holder: '', holderAdmin: '', ownerAdmin: '' };
/** The lots the partial rule lets circuitra read status and partId of. */
const PARTIAL_LOTS = ['structura-L0002', 'structura-L0003', 'structura-L0005', 'structura-L0007'];

function gql(token: string, query: string, variables?: Json): Promise<GraphQLResult> {
  return postGraphQL(cluster.gatewayUrl, query, { token, ...(variables ? { variables } : {}) });
}

const codes = (r: GraphQLResult): unknown[] => (r.errors ?? []).map((e) => e.extensions?.code);

/** The values to try for an argument: every enum value, or every id the owner has for it. */
async function valuesOf(a: FilterArgument): Promise<string[]> {
  const enumValues = ENUMS.get(a.argType);
  if (enumValues) return enumValues;
  const r = await gql(tokens.owner, `{ firm(id: "${owner}") { ${a.list}(first: 1000) { ${a.field} } } }`);
  const values = [...new Set(((at(r.data, `firm.${a.list}`) as Json[]) ?? []).map((row) => String(row[a.field])))].sort();
  if (a.field === a.arg) return values;
  const step = Math.max(1, Math.floor(values.length / RANGE_SAMPLE));
  return values.filter((_, i) => i % step === step - 1).slice(0, RANGE_SAMPLE);
}

function literal(a: FilterArgument, value: string): string {
  return ENUMS.has(a.argType) ? value : JSON.stringify(value);
}

beforeAll(async () => {
  cluster = await startTestCluster({
    directoryRefreshMs: 0,
    policyFileFor: policyVariants({
      structura: {
        add: [
          // cuprum (no trade relationship) sees every row, but only its keys.
          { id: 'cuprum-sees-keys-only', who: { firms: ['cuprum'] }, types: ALL_TYPES, fields: ['firmId'] },
          // ... and the lists that hang off its rows, whose items it may not list by their parent's id.
          { id: 'cuprum-sees-part-lists', who: { firms: ['cuprum'] }, types: ['Part'], fields: ['lots', 'inventory'] },
          { id: 'cuprum-sees-lot-inspections', who: { firms: ['cuprum'] }, types: ['Lot'], fields: ['inspections'] },
          { id: 'cuprum-sees-run-anomalies', who: { firms: ['cuprum'] }, types: ['ProductionRun'], fields: ['anomalies'] },
          // circuitra sees every lot's keys and quantity, and status and partId of four lots only.
          { id: 'circuitra-sees-lots', who: { firms: ['circuitra'] }, types: ['Lot'], fields: ['quantity'] },
          { id: 'circuitra-sees-some-statuses', who: { firms: ['circuitra'] }, types: ['Lot'], fields: ['status', 'partId'], rows: { lotId: { in: PARTIAL_LOTS } } },
        ],
      },
    }),
  });
  tokens.owner = cluster.token(owner, { roles: ['planner'] });
  tokens.ownerAdmin = cluster.token(owner, { roles: ['admin'] });
  tokens.keysOnly = cluster.token('cuprum', { roles: ['planner'] });
  tokens.partial = cluster.token('circuitra', { roles: ['planner'] });
  tokens.holder = cluster.token('avionix', { roles: ['planner'], purpose: 'planning' });
});
afterAll(async () => cluster?.stop());

describe(`a filter is a read of its field (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('finds the filter arguments in the schema', () => {
    expect(FILTER_ARGUMENTS.map((a) => `${a.list}(${a.arg})`)).toEqual(
      expect.arrayContaining(['lots(status)', 'lots(partId)', 'qualityInspections(result)', 'shipments(status)', 'sensorReadings(machineId)', 'sensorReadings(from)', 'sensorReadings(to)']),
    );
  });

  it('refuses every filter argument of every list on a field the caller may not read: FILTER_FORBIDDEN naming it, no rows', async () => {
    for (const a of FILTER_ARGUMENTS) {
      const values = await valuesOf(a);
      let matched = 0;
      for (const value of values) {
        const query = `{ firm(id: "${owner}") { ${a.list}(first: 1000, ${a.arg}: ${literal(a, value)}) { ${idOf(a.type)} } } }`;
        const truth = await gql(tokens.owner, query);
        expect(truth.errors, `${a.list}(${a.arg}) as the owner`).toBeUndefined();
        matched += ((at(truth.data, `firm.${a.list}`) as unknown[]) ?? []).length;
        const r = await gql(tokens.keysOnly, query);
        expect(at(r.data, `firm.${a.list}`), `${a.list}(${a.arg}: ${value})`).toBeNull();
        expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'FILTER_FORBIDDEN', firmId: owner, type: a.type, field: a.field });
      }
      // The owner's answers are not empty: the refusals above hide something real.
      expect(matched, `${a.list}(${a.arg}) matches rows`).toBeGreaterThan(0);
      // Without the filter the same caller does see the rows: it is the filter that is refused.
      const unfiltered = await gql(tokens.keysOnly, `{ firm(id: "${owner}") { ${a.list}(first: 3) { ${idOf(a.type)} } } }`);
      expect(unfiltered.errors).toBeUndefined();
      expect((at(unfiltered.data, `firm.${a.list}`) as unknown[]).length).toBeGreaterThan(0);
    }
  });

  it('refuses a list by a field the caller may not read (Part.lots lists by Lot.partId, ...)', async () => {
    for (const rel of RELATED_LISTS) {
      const parents = await gql(tokens.owner, `{ firm(id: "${owner}") { ${rel.parent === 'Part' ? 'parts' : rel.parent === 'Lot' ? 'lots' : 'productionRuns'}(first: 1000) { ${idOf(rel.parent)} ${rel.list} { ${idOf(rel.type)} } } } }`);
      expect(parents.errors, `${rel.parent}.${rel.list} as the owner`).toBeUndefined();
      const listName = rel.parent === 'Part' ? 'parts' : rel.parent === 'Lot' ? 'lots' : 'productionRuns';
      const rows = at(parents.data, `firm.${listName}`) as Json[];
      expect(rows.some((p) => (p[rel.list] as unknown[]).length > 0), `${rel.parent}.${rel.list} has rows at the owner`).toBe(true);
      const r = await gql(tokens.keysOnly, `{ firm(id: "${owner}") { ${listName}(first: 1000) { ${idOf(rel.parent)} ${rel.list} { ${idOf(rel.type)} } } } }`);
      const seen = at(r.data, `firm.${listName}`) as Json[];
      expect(seen.length).toBe(rows.length);
      expect(seen.every((p) => p[rel.list] === null), `${rel.parent}.${rel.list} is refused on every row`).toBe(true);
      const refusal = r.errors?.find((e) => e.path?.[3] === rel.list);
      expect(refusal?.extensions).toMatchObject({ code: 'FILTER_FORBIDDEN', type: rel.type, field: rel.field });
    }
  });

  it('filters only among the rows where the caller may read the field: nothing about the others', async () => {
    const all = await gql(tokens.owner, `{ firm(id: "${owner}") { lots(first: 1000) { lotId status partId } } }`);
    const truth = at(all.data, 'firm.lots') as { lotId: string; status: string; partId: string }[];
    for (const status of ENUMS.get('LotStatus') ?? []) {
      const r = await gql(tokens.partial, `{ firm(id: "${owner}") { lots(first: 1000, status: ${status}) { lotId status } } }`);
      expect(r.errors).toBeUndefined();
      const expected = truth.filter((l) => l.status === status && PARTIAL_LOTS.includes(l.lotId)).map((l) => l.lotId);
      expect((at(r.data, 'firm.lots') as { lotId: string }[]).map((l) => l.lotId)).toEqual(expected);
    }
    const partIds = [...new Set(truth.map((l) => l.partId))];
    let returned = 0;
    for (const partId of partIds) {
      const r = await gql(tokens.partial, `{ firm(id: "${owner}") { lots(first: 1000, partId: "${partId}") { lotId } } }`);
      const got = (at(r.data, 'firm.lots') as { lotId: string }[]).map((l) => l.lotId);
      returned += got.length;
      expect(got).toEqual(truth.filter((l) => l.partId === partId && PARTIAL_LOTS.includes(l.lotId)).map((l) => l.lotId));
    }
    expect(returned).toBe(PARTIAL_LOTS.length);
  });

  it("closes the finding: an agreement for Lot [quantity] does not let its holder read status through lots(status:)", async () => {
    const ask = await gql(tokens.holder, 'mutation($i: AccessRequestInput!) { requestAccess(firmId: "structura", input: $i) { requestId } }', {
      i: { types: ['Lot'], fields: ['quantity'], purpose: 'planning', days: 5 },
    });
    expect(ask.errors).toBeUndefined();
    const granted = await gql(tokens.ownerAdmin, 'mutation($id: ID!) { decideAccessRequest(firmId: "structura", requestId: $id, decision: GRANT) { state } }', {
      id: at(ask.data, 'requestAccess.requestId'),
    });
    expect(at(granted.data, 'decideAccessRequest.state')).toBe('GRANTED');
    const rows = await gql(tokens.holder, '{ firm(id: "structura") { lots(first: 3) { lotId quantity status } } }');
    expect((at(rows.data, 'firm.lots') as unknown[]).length).toBe(3);
    expect(codes(rows)).toEqual(['FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN']);
    const oracle = await gql(tokens.holder, '{ firm(id: "structura") { lots(status: QUARANTINED) { lotId } } }');
    expect(at(oracle.data, 'firm.lots')).toBeNull();
    expect(oracle.errors?.[0]?.extensions).toMatchObject({ code: 'FILTER_FORBIDDEN', field: 'status' });
    expect(oracle.errors?.[0]?.message).toMatch(/status of Lot/);
  });

  it("records in the owner's access log that a filter read its field", async () => {
    const all = await gql(tokens.owner, `{ firm(id: "${owner}") { lot(lotId: "${PARTIAL_LOTS[0]}") { status } } }`);
    const status = String(at(all.data, 'firm.lot.status'));
    const r = await gql(tokens.partial, `{ firm(id: "${owner}") { lots(first: 1000, status: ${status}) { lotId } } }`);
    const found = (at(r.data, 'firm.lots') as unknown[]).length;
    expect(found).toBeGreaterThan(0);
    const log = await gql(tokens.ownerAdmin, `{ firm(id: "${owner}") { accessLog(callerFirm: "circuitra", first: 1) { reads { type fields rows } } } }`);
    const reads = at(log.data, 'firm.accessLog.0.reads') as { type: string; fields: string[]; rows: number }[];
    const lots = reads.find((x) => x.type === 'Lot');
    // Only lotId was selected, yet the answer tells each lot's status: the log says status was read.
    expect(lots).toMatchObject({ fields: ['lotId', 'status'], rows: found });
  });
});
