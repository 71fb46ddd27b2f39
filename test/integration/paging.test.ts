import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firmDataModel } from '../../schema/model.js';
import { encodeCursor, listTag } from '../../subgraphs/firm/paging/cursor.js';
import { at, postGraphQL, readMetric, type GraphQLResult } from '../harness/graphqlClient.js';
import { postAsGateway } from '../harness/postAsGateway.js';
import { policyVariants } from '../harness/policyVariants.js';
import { GENEALOGY_QUERY } from '../harness/queries.js';
import { startTestCluster, type TestCluster } from '../harness/testCluster.js';

/**
 * Paging (docs/paging.md) through the real gateway: every connection of a firm read page by
 * page equals its list, with filters and under the owner's row filters, on every page; bad
 * and foreign cursors are refused with stable codes; the statements per page stay constant;
 * the cost estimate sizes a connection by its `first`; the access log records what a page
 * returned.
 */
type Json = Record<string, unknown>;
interface Page {
  nodes: Json[];
  edges: { cursor: string; node: Json }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

const MODEL = firmDataModel();
const idOf = (type: string): string => MODEL.types[type]?.keyFields.find((k) => k !== 'firmId') ?? '';
const OWNER = 'structura';
/** Firm.<list> → its governed type, and a filter argument to try (with its row field), as firmResolvers serves them. */
const LISTS: { list: string; type: string; filter?: { arg: string; values: string[] } }[] = [
  { list: 'parts', type: 'Part' },
  { list: 'lots', type: 'Lot', filter: { arg: 'status', values: ['RELEASED', 'QUARANTINED', 'CONSUMED', 'SHIPPED', 'SCRAPPED'] } },
  { list: 'purchaseOrders', type: 'PurchaseOrder', filter: { arg: 'status', values: ['OPEN', 'CONFIRMED', 'PARTIALLY_DELIVERED', 'DELIVERED', 'CANCELLED'] } },
  { list: 'orderConfirmations', type: 'OrderConfirmation' },
  { list: 'shipments', type: 'Shipment', filter: { arg: 'status', values: ['PLANNED', 'IN_TRANSIT', 'DELAYED', 'DELIVERED'] } },
  { list: 'inventory', type: 'InventoryPosition' },
  { list: 'productionRuns', type: 'ProductionRun', filter: { arg: 'status', values: ['PLANNED', 'RUNNING', 'HELD', 'DONE'] } },
  { list: 'qualityInspections', type: 'QualityInspection', filter: { arg: 'result', values: ['PASS', 'FAIL'] } },
  { list: 'sensorAnomalies', type: 'SensorAnomaly' },
];
/** The lots whose status and partId circuitra may read at structura (the rest: keys and quantity only). */
const PARTIAL_LOTS = ['structura-L0002', 'structura-L0003', 'structura-L0005', 'structura-L0007'];

let cluster: TestCluster;
const tokens = { owner: '', ownerAdmin: '', partial: '', keysOnly: '', customer: '', lead: '' };

function gql(token: string, query: string, variables?: Json): Promise<GraphQLResult> {
  return postGraphQL(cluster.gatewayUrl, query, { token, ...(variables ? { variables } : {}) });
}

const literal = (v: unknown): string => (typeof v === 'string' && /^[A-Z_]+$/.test(v) ? v : JSON.stringify(v));
const argsText = (args: Json): string =>
  Object.entries(args)
    .map(([k, v]) => `${k}: ${literal(v)}`)
    .join(', ');

/** A list or connection of a firm: `Firm.<field>(args)`, or under one row (`part(partId: "...") { <field> }`). */
interface ListAt {
  firmId: string;
  field: string;
  args?: Json;
  under?: { field: string; args: Json };
}

/** The query of a list, its page arguments given as variables when `paged`. */
function queryOf(l: ListAt, selection: string, paged: boolean): string {
  const args = [paged ? 'first: $first, after: $after' : 'first: 1000', ...(l.args ? [argsText(l.args)] : [])].join(', ');
  const inner = `${l.field}(${args}) { ${selection} }`;
  const body = l.under ? `${l.under.field}(${argsText(l.under.args)}) { ${inner} }` : inner;
  return `${paged ? 'query($first: Int, $after: String) ' : ''}{ firm(id: "${l.firmId}") { ${body} } }`;
}

const dataAt = (l: ListAt, data: unknown): unknown => at(data, ['firm', ...(l.under ? [l.under.field] : []), l.field].join('.'));
const PAGE_SELECTION = (fields: string) => `nodes { ${fields} } edges { cursor node { ${fields} } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor }`;

/**
 * Reads a connection page by page (`first` at a time) until `hasNextPage` is false, checking
 * every page's shape: at most `first` nodes, the edges' nodes are the nodes, startCursor /
 * endCursor are the first and last edge's cursors, a full page unless it is the last.
 */
async function readAll(token: string, l: ListAt, fields: string, first: number): Promise<{ rows: Json[]; pages: Page[] }> {
  const query = queryOf(l, PAGE_SELECTION(fields), true);
  const pages: Page[] = [];
  let after: string | null = null;
  for (let i = 0; i < 500; i++) {
    const r = await gql(token, query, { first, after });
    expect(r.errors, `${l.field} page ${i + 1}`).toBeUndefined();
    const page = dataAt(l, r.data) as Page;
    pages.push(page);
    expect(page.nodes.length).toBeLessThanOrEqual(first);
    expect(page.edges.map((e) => e.node)).toEqual(page.nodes);
    expect(page.pageInfo.hasPreviousPage).toBe(false);
    expect(page.pageInfo.startCursor).toBe(page.edges[0]?.cursor ?? null);
    expect(page.pageInfo.endCursor).toBe(page.edges[page.edges.length - 1]?.cursor ?? null);
    if (!page.pageInfo.hasNextPage) return { rows: pages.flatMap((p) => p.nodes), pages };
    expect(page.nodes.length).toBe(first);
    after = page.pageInfo.endCursor;
  }
  throw new Error(`${l.field}: more than 500 pages`);
}

/** The whole list (`first: 1000`), as the plain list field answers it. */
async function readList(token: string, l: ListAt, fields: string): Promise<Json[]> {
  const r = await gql(token, queryOf(l, fields, false));
  expect(r.errors, l.field).toBeUndefined();
  return dataAt(l, r.data) as Json[];
}

const sqlAt = (firmId: string): Promise<number> => readMetric(cluster.firms.get(firmId)?.server?.url ?? '', 'dataspace_sql_statements_total');

beforeAll(async () => {
  cluster = await startTestCluster({
    seed: { lotsPerFirm: 40 },
    directoryRefreshMs: 0,
    // Hundreds of pages in a row: the rate limits are not under test here (the cost limits are).
    limits: { gateway: { rateLimit: false }, subgraphs: { rateLimit: false } },
    policyFileFor: policyVariants({
      structura: {
        add: [
          // cuprum (no trade relationship) sees every row's keys only, and the part lists (by Lot.partId, which it may not read).
          { id: 'cuprum-sees-keys-only', who: { firms: ['cuprum'] }, types: ['Lot', 'Part'], fields: ['firmId'] },
          { id: 'cuprum-sees-part-lists', who: { firms: ['cuprum'] }, types: ['Part'], fields: ['lots'] },
          // circuitra sees every lot's keys and quantity, and status and partId of four lots only.
          { id: 'circuitra-sees-lots', who: { firms: ['circuitra'] }, types: ['Lot'], fields: ['quantity'] },
          { id: 'circuitra-sees-some-statuses', who: { firms: ['circuitra'] }, types: ['Lot'], fields: ['status', 'partId'], rows: { lotId: { in: PARTIAL_LOTS } } },
        ],
      },
    }),
  });
  tokens.owner = cluster.token(OWNER, { roles: ['planner'] });
  tokens.ownerAdmin = cluster.token(OWNER, { roles: ['admin'] });
  tokens.partial = cluster.token('circuitra', { roles: ['planner'] });
  tokens.keysOnly = cluster.token('cuprum', { roles: ['planner'] });
  tokens.customer = cluster.token('structura', { roles: ['planner'] });
  tokens.lead = cluster.token('skyframe', { roles: ['planner'], purpose: 'traceability' });
});
afterAll(async () => cluster?.stop());

describe(`paging: connections through the gateway (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  it("reads every connection of a firm page by page: the same rows, in the same order, as its list", async () => {
    for (const { list, type } of LISTS) {
      const id = idOf(type);
      const truth = await readList(tokens.owner, { firmId: OWNER, field: list }, id);
      expect(truth.length, `${list} has rows`).toBeGreaterThan(3);
      const { rows, pages } = await readAll(tokens.owner, { firmId: OWNER, field: `${list}Connection` }, id, 3);
      expect(rows, list).toEqual(truth);
      expect(pages.length, list).toBe(Math.floor(truth.length / 3) + 1);
    }
  });

  it('pages a filtered connection as its filtered list, for every filter value', async () => {
    for (const { list, type, filter } of LISTS) {
      if (!filter) continue;
      let matched = 0;
      for (const value of filter.values) {
        const fields = `${idOf(type)} ${filter.arg}`;
        const truth = await readList(tokens.owner, { firmId: OWNER, field: list, args: { [filter.arg]: value } }, fields);
        const { rows } = await readAll(tokens.owner, { firmId: OWNER, field: `${list}Connection`, args: { [filter.arg]: value } }, fields, 2);
        expect(rows, `${list}(${filter.arg}: ${value})`).toEqual(truth);
        expect(rows.every((r) => r[filter.arg] === value)).toBe(true);
        matched += rows.length;
      }
      expect(matched, `${list} filtered`).toBeGreaterThan(0);
    }
  });
});

describe(`paging under the owner's policy (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  it("applies a policy row filter on every page: a customer paging a supplier's shipments sees only its own", async () => {
    const supplier = 'precimach';
    const all = await readList(cluster.token(supplier, { roles: ['planner'] }), { firmId: supplier, field: 'shipments' }, 'shipmentId customerId status');
    const own = all.filter((s) => s.customerId === 'structura');
    expect(own.length).toBeGreaterThan(2);
    expect(all.length).toBeGreaterThan(own.length); // the row filter hides something real
    const { rows, pages } = await readAll(tokens.customer, { firmId: supplier, field: 'shipmentsConnection' }, 'shipmentId customerId status', 2);
    expect(rows).toEqual(own);
    for (const page of pages) expect(page.nodes.every((s) => s.customerId === 'structura')).toBe(true);
    // a filter on top of the row filter: the customer's own shipments of one status, page by page
    const status = String(own[0]?.status);
    const filtered = await readAll(tokens.customer, { firmId: supplier, field: 'shipmentsConnection', args: { status } }, 'shipmentId customerId status', 1);
    expect(filtered.rows).toEqual(own.filter((s) => s.status === status));
  });

  it('filters a connection only among the rows where the caller may read the field, as its list', async () => {
    const truth = await readList(tokens.owner, { firmId: OWNER, field: 'lots' }, 'lotId status partId');
    let found = 0;
    for (const status of ['RELEASED', 'QUARANTINED', 'CONSUMED', 'SHIPPED', 'SCRAPPED']) {
      const { rows } = await readAll(tokens.partial, { firmId: OWNER, field: 'lotsConnection', args: { status } }, 'lotId', 1);
      expect(rows.map((r) => r.lotId)).toEqual(truth.filter((l) => l.status === status && PARTIAL_LOTS.includes(String(l.lotId))).map((l) => l.lotId));
      found += rows.length;
    }
    expect(found).toBe(PARTIAL_LOTS.length);
    // a caller that may read no lot's status may not filter by it, on the connection as on the list
    for (const field of ['lots', 'lotsConnection']) {
      const r = await gql(tokens.keysOnly, `{ firm(id: "${OWNER}") { ${field}(status: RELEASED) { __typename } } }`);
      expect(at(r.data, `firm.${field}`), field).toBeNull();
      expect(r.errors?.[0]?.extensions, field).toMatchObject({ code: 'FILTER_FORBIDDEN', firmId: OWNER, type: 'Lot', field: 'status' });
    }
  });

  it("pages a part's lots (Part.lotsConnection) as Part.lots, and grants, refuses and logs it as Part.lots", async () => {
    const parts = await readList(tokens.owner, { firmId: OWNER, field: 'parts' }, 'partId lots { lotId }');
    const withLots = parts.filter((p) => (p.lots as unknown[]).length > 2).slice(0, 3);
    expect(withLots.length).toBeGreaterThan(0);
    for (const part of withLots) {
      const under = { field: 'part', args: { partId: part.partId } };
      const { rows } = await readAll(tokens.owner, { firmId: OWNER, field: 'lotsConnection', under }, 'lotId', 2);
      expect(rows).toEqual(part.lots);
    }
    // Granted, refused and refused-as-a-filter alike: the connection is its list for the policy.
    const partId = String(withLots[0]?.partId);
    const both = (firmId: string, id: string) => `{ firm(id: "${firmId}") { part(partId: "${id}") { name lots { lotId } lotsConnection { nodes { lotId } } } } }`;
    const refusals = (r: GraphQLResult) =>
      Object.fromEntries((r.errors ?? []).map((e) => [String(e.path?.[2]), { code: e.extensions?.code, type: e.extensions?.type, field: e.extensions?.field }]));
    // skyframe's grant on avionix's parts has no `lots`: both refused, naming Part.lots
    const avionixPart = String(((await readList(cluster.token('avionix', { roles: ['planner'] }), { firmId: 'avionix', field: 'parts' }, 'partId'))[0] ?? {}).partId);
    const lead = await gql(tokens.lead, both('avionix', avionixPart));
    expect(at(lead.data, 'firm.part.lots')).toBeNull();
    expect(at(lead.data, 'firm.part.lotsConnection')).toBeNull();
    expect(refusals(lead)).toEqual({ lots: { code: 'FORBIDDEN', type: 'Part', field: 'lots' }, lotsConnection: { code: 'FORBIDDEN', type: 'Part', field: 'lots' } });
    // cuprum is granted Part.lots but may not read Lot.partId: both refused as a filter on it
    const keys = await gql(tokens.keysOnly, both(OWNER, partId));
    expect(refusals(keys)).toMatchObject({
      lots: { code: 'FILTER_FORBIDDEN', type: 'Lot', field: 'partId' },
      lotsConnection: { code: 'FILTER_FORBIDDEN', type: 'Lot', field: 'partId' },
    });
    // the owner: both answered alike, and its access log names Part.lots, not the connection
    const mine = await gql(tokens.owner, both(OWNER, partId));
    expect(mine.errors).toBeUndefined();
    expect(at(mine.data, 'firm.part.lotsConnection.nodes')).toEqual(at(mine.data, 'firm.part.lots'));
    const log = await gql(tokens.ownerAdmin, `{ firm(id: "${OWNER}") { accessLog(callerFirm: "${OWNER}", first: 1) { reads { type fields } } } }`);
    const partRead = (at(log.data, 'firm.accessLog.0.reads') as { type: string; fields: string[] }[]).find((x) => x.type === 'Part');
    expect(partRead?.fields).toEqual(['lots', 'name']);
  });
});

describe(`paging: cursors are validated and bound to their list (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  const lotsPage = queryOf({ firmId: OWNER, field: 'lotsConnection' }, 'nodes { lotId } pageInfo { endCursor }', true);
  const endCursor = async (l: ListAt, token = tokens.owner): Promise<string> => {
    const r = await gql(token, queryOf(l, 'pageInfo { endCursor }', true), { first: 2 });
    expect(r.errors).toBeUndefined();
    return String(at(dataAt(l, r.data), 'pageInfo.endCursor'));
  };
  const expectRefused = (r: GraphQLResult, reason: string, firmId = OWNER) => {
    expect(r.status).toBe(200);
    expect(at(r.data, 'firm.lotsConnection') ?? at(r.data, 'firm.part.lotsConnection') ?? null).toBeNull();
    expect(r.errors).toHaveLength(1);
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', firmId, argument: 'after', reason });
    expect(r.errors?.[0]?.message).toMatch(/^after is /);
    expect(JSON.stringify(r)).not.toMatch(/INTERNAL_SERVER_ERROR|stacktrace|\.ts:\d+/);
  };

  it('refuses a malformed cursor with BAD_USER_INPUT, reason CURSOR_MALFORMED, never an internal error', async () => {
    const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
    const good = JSON.parse(Buffer.from(await endCursor({ firmId: OWNER, field: 'lotsConnection' }), 'base64url').toString('utf8')) as Json;
    const malformed = [
      '',
      'not a cursor!',
      'x'.repeat(600),
      `${b64(JSON.stringify(good))}=`,
      b64('{"v":1,'),
      b64('[1,2,3]'),
      b64('null'),
      b64(JSON.stringify({ ...good, v: 2 })),
      b64(JSON.stringify({ ...good, extra: true })),
      b64(JSON.stringify({ v: 1, l: good.l })),
      b64(JSON.stringify({ ...good, k: 42 })),
      b64(JSON.stringify({ ...good, k: '' })),
      b64(JSON.stringify({ ...good, k: 'x'.repeat(257) })),
      b64(JSON.stringify({ ...good, k: 'a\u0000b' })),
      b64(JSON.stringify({ ...good, l: 'short' })),
    ];
    for (const after of malformed) expectRefused(await gql(tokens.owner, lotsPage, { first: 2, after }), 'CURSOR_MALFORMED');
  });

  it('refuses a cursor of another list: another field, firm, filter, parent, or the access log', async () => {
    const parts = await readList(tokens.owner, { firmId: OWNER, field: 'parts' }, 'partId lots { lotId }');
    const [p1, p2] = parts.filter((p) => (p.lots as unknown[]).length > 2).map((p) => String(p.partId));
    const under = (partId: string | undefined) => ({ field: 'part', args: { partId } });
    const foreign = [
      await endCursor({ firmId: OWNER, field: 'shipmentsConnection' }),
      await endCursor({ firmId: OWNER, field: 'partsConnection' }),
      await endCursor({ firmId: OWNER, field: 'lotsConnection', args: { status: 'RELEASED' } }),
      await endCursor({ firmId: OWNER, field: 'lotsConnection', under: under(p1) }),
      await endCursor({ firmId: 'avionix', field: 'lotsConnection' }, cluster.token('avionix', { roles: ['planner'] })),
      await endCursor({ firmId: OWNER, field: 'accessLogConnection' }, tokens.ownerAdmin),
    ];
    for (const after of foreign) expectRefused(await gql(tokens.owner, lotsPage, { first: 2, after }), 'CURSOR_FOREIGN');
    // a part's cursor continues that part's lots only
    const ofP1 = await endCursor({ firmId: OWNER, field: 'lotsConnection', under: under(p1) });
    const onP2 = queryOf({ firmId: OWNER, field: 'lotsConnection', under: under(p2) }, 'nodes { lotId }', true);
    expectRefused(await gql(tokens.owner, onP2, { first: 2, after: ofP1 }), 'CURSOR_FOREIGN');
    // the same cursor, with its own list, is good
    const lotsCursor = await endCursor({ firmId: OWNER, field: 'lotsConnection' });
    expect((await gql(tokens.owner, lotsPage, { first: 2, after: lotsCursor })).errors).toBeUndefined();
  });

  it('keeps a cursor good across tokens (a refreshed token continues) and lets no cursor reach a row the caller may not see', async () => {
    const supplier = 'precimach';
    const shipments = { firmId: supplier, field: 'shipmentsConnection' };
    const cursor = await endCursor(shipments, tokens.customer);
    const again = await gql(cluster.token('structura', { roles: ['planner'], subject: 'another-user' }), queryOf(shipments, 'nodes { shipmentId }', true), { first: 2, after: cursor });
    expect(again.errors).toBeUndefined();
    // A forged cursor (the right list, the key of another customer's shipment) only names a
    // position in the id order: the page holds the caller's own rows after it, nothing else.
    const all = await readList(cluster.token(supplier, { roles: ['planner'] }), { firmId: supplier, field: 'shipments' }, 'shipmentId customerId');
    const othersAt = all.findIndex((s) => s.customerId !== 'structura');
    expect(othersAt).toBeGreaterThanOrEqual(0);
    const forged = encodeCursor(listTag({ firmId: supplier, field: 'Firm.shipmentsConnection' }), String(all[othersAt]?.shipmentId));
    const { rows } = await (async () => {
      const r = await gql(tokens.customer, queryOf(shipments, 'nodes { shipmentId customerId }', true), { first: 1000, after: forged });
      expect(r.errors).toBeUndefined();
      return { rows: at(r.data, 'firm.shipmentsConnection.nodes') as Json[] };
    })();
    expect(rows).toEqual(all.slice(othersAt + 1).filter((s) => s.customerId === 'structura'));
  });

  it('refuses a page size outside 0..1000; first: 0 is an empty page that tells only whether rows exist', async () => {
    for (const first of [-1, 1001]) {
      const r = await gql(tokens.owner, lotsPage, { first });
      expect(at(r.data, 'firm.lotsConnection')).toBeNull();
      expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', firmId: OWNER });
    }
    const empty = await gql(tokens.owner, queryOf({ firmId: OWNER, field: 'lotsConnection' }, 'nodes { lotId } pageInfo { hasNextPage endCursor }', true), { first: 0 });
    expect(at(empty.data, 'firm.lotsConnection')).toEqual({ nodes: [], pageInfo: { hasNextPage: true, endCursor: null } });
  });
});

describe(`paging: statements, access log and cost (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  it("costs the same SQL statements at the owner for every page, wherever it is and however long", async () => {
    const l = { firmId: OWNER, field: 'lotsConnection' };
    const query = queryOf(l, 'nodes { lotId status } pageInfo { hasNextPage endCursor }', true);
    await gql(tokens.owner, query, { first: 1 }); // warm: the first access-log append of a firm reads the chain head
    const perPage: number[] = [];
    let after: string | null = null;
    for (;;) {
      const before = await sqlAt(OWNER);
      const r = await gql(tokens.owner, query, { first: 5, after });
      perPage.push((await sqlAt(OWNER)) - before);
      if (!at(r.data, 'firm.lotsConnection.pageInfo.hasNextPage')) break;
      after = String(at(r.data, 'firm.lotsConnection.pageInfo.endCursor'));
    }
    expect(perPage.length).toBeGreaterThan(5);
    expect(new Set(perPage)).toEqual(new Set([perPage[0]]));
    // ... and for a page of every part's lots: one statement for the parts, one for all their lots
    const nested = queryOf({ firmId: OWNER, field: 'partsConnection' }, 'nodes { partId lotsConnection(first: 2) { nodes { lotId } pageInfo { endCursor } } }', true);
    const cost = async (first: number) => {
      const before = await sqlAt(OWNER);
      const r = await gql(tokens.owner, nested, { first });
      expect(r.errors).toBeUndefined();
      return { statements: (await sqlAt(OWNER)) - before, parts: (at(r.data, 'firm.partsConnection.nodes') as unknown[]).length };
    };
    const [two, all] = [await cost(2), await cost(1000)];
    expect(all.parts).toBeGreaterThan(two.parts);
    expect(all.statements).toBe(two.statements);
    expect(two.statements).toBe((perPage[0] ?? NaN) + 1); // the lots of every part on the page: one more statement
  });

  it('records in the access log what a page returned: its rows, and the ids its cursors carry', async () => {
    const supplier = 'precimach';
    const admin = cluster.token(supplier, { roles: ['admin'] });
    const lastRead = async () => {
      const log = await gql(admin, `{ firm(id: "${supplier}") { accessLog(callerFirm: "structura", first: 1) { reads { type fields rows } } } }`);
      return (at(log.data, 'firm.accessLog.0.reads') as { type: string; fields: string[]; rows: number }[]).find((x) => x.type === 'Shipment');
    };
    const shipments = { firmId: supplier, field: 'shipmentsConnection' };
    await gql(tokens.customer, queryOf(shipments, 'nodes { status }', true), { first: 2 });
    expect(await lastRead()).toEqual({ type: 'Shipment', fields: ['status'], rows: 2 });
    await gql(tokens.customer, queryOf(shipments, 'edges { cursor } pageInfo { hasNextPage }', true), { first: 3 });
    expect(await lastRead()).toEqual({ type: 'Shipment', fields: ['shipmentId'], rows: 3 });
    await gql(tokens.customer, queryOf(shipments, 'pageInfo { endCursor }', true), { first: 3 });
    expect(await lastRead()).toEqual({ type: 'Shipment', fields: ['shipmentId'], rows: 1 });
  });

  /** The demo genealogy with `lots(first: $first) { ... }` as `lotsConnection(first: $first) { <shape> { ... } }`. */
  function genealogyConnection(shape: 'nodes' | 'edges'): string {
    const open = 'lots(first: $first) {';
    const start = GENEALOGY_QUERY.indexOf(open);
    let depth = 0;
    let end = start + open.length - 1;
    for (; end < GENEALOGY_QUERY.length; end++) {
      if (GENEALOGY_QUERY[end] === '{') depth++;
      if (GENEALOGY_QUERY[end] === '}' && --depth === 0) break;
    }
    const lot = GENEALOGY_QUERY.slice(start + open.length, end);
    const inner = shape === 'nodes' ? `nodes {${lot}}` : `edges { cursor node {${lot}} }`;
    return `${GENEALOGY_QUERY.slice(0, start)}lotsConnection(first: $first) { ${inner} pageInfo { endCursor } }${GENEALOGY_QUERY.slice(end + 1)}`;
  }

  it("sizes a connection's nodes and edges by its first: the cost limits refuse what they refuse for the list", async () => {
    const refused = (r: GraphQLResult, value: number, limit = 1_000_000) => {
      expect(r.status).toBe(400);
      expect(r.data ?? undefined).toBeUndefined();
      expect(r.errors?.[0]?.extensions).toEqual({ code: 'OPERATION_TOO_COSTLY', limit, value });
    };
    // the demo genealogy costs 658 a lot (test/integration/limits.test.ts: 1 + 2000 × 658 as a list)
    refused(await gql(tokens.lead, genealogyConnection('nodes'), { first: 2000 }), 1 + 1 + 2000 * 658 + 1);
    refused(await gql(tokens.lead, genealogyConnection('edges'), { first: 2000 }), 1 + 1 + 2000 * (1 + 658) + 1);
    const page = await gql(tokens.lead, genealogyConnection('edges'), { first: 20 });
    expect(page.status).toBe(200);
    expect((at(page.data, 'firm.lotsConnection.edges') as unknown[]).length).toBe(20);
    expect(at(page.data, 'firm.lotsConnection.edges.0.node.components.0.component.lot.lotId')).toBeTruthy();
    // a firm applies its own estimate to a caller that plays the gateway, with the real representations
    const costly = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Firm { lotsConnection(first: 5000) { nodes { part { lotsConnection(first: 500) { nodes { lotId } } } } } } } }';
    const r = await postAsGateway(cluster, { firmId: OWNER }, costly, { token: tokens.owner, variables: { r: [{ __typename: 'Firm', id: OWNER }] } });
    refused(r, 1 + 1 + 5000 * (1 + 1 + 1 + 500), 2_000_000);
  });

  it("pages the owner's write log newest first (writeLogConnection), for its admins only", async () => {
    const erp = cluster.token(OWNER, { roles: ['integration'], subject: 'erp@structura' });
    const [position] = await readList(tokens.owner, { firmId: OWNER, field: 'inventory' }, 'positionId partId site onHand allocated blocked updatedAt');
    expect(position).toBeDefined();
    for (let i = 1; i <= 5; i++) {
      const row = { ...position, onHand: Number(position?.onHand) + i, updatedAt: new Date(Date.UTC(2026, 10, i)).toISOString() };
      const w = await gql(erp, 'mutation($u: RowsInput) { writeRows(firmId: "structura", upsert: $u) { seq } }', { u: { inventoryPositions: [row] } });
      expect(w.errors).toBeUndefined();
    }
    const l = { firmId: OWNER, field: 'writeLogConnection', args: { actorSubject: 'erp@structura' } };
    const truth = await readList(tokens.ownerAdmin, { ...l, field: 'writeLog' }, 'seq operation');
    expect(truth.length).toBeGreaterThanOrEqual(5);
    const { rows } = await readAll(tokens.ownerAdmin, l, 'seq operation', 2);
    expect(rows).toEqual(truth);
    const refused = await gql(tokens.owner, queryOf(l, 'nodes { seq }', true), { first: 2 });
    expect(at(refused.data, 'firm.writeLogConnection')).toBeNull();
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', firmId: OWNER });
    const other = await readAll(tokens.ownerAdmin, { ...l, args: { actorSubject: 'someone-else' } }, 'seq', 2);
    expect(other.rows).toEqual([]);
    const cursor = String(at((await gql(tokens.ownerAdmin, queryOf(l, 'pageInfo { endCursor }', true), { first: 1 })).data, 'firm.writeLogConnection.pageInfo.endCursor'));
    const foreign = await gql(tokens.ownerAdmin, queryOf({ ...l, args: { actorSubject: 'someone-else' } }, 'nodes { seq }', true), { first: 2, after: cursor });
    expect(foreign.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after', reason: 'CURSOR_FOREIGN' });
  });

  it("pages the owner's access log newest first (accessLogConnection), for its admins only", async () => {
    const l = { firmId: OWNER, field: 'accessLogConnection', args: { callerFirm: OWNER } };
    const truth = await readList(tokens.ownerAdmin, { ...l, field: 'accessLog' }, 'seq callerFirm');
    expect(truth.length).toBeGreaterThan(5);
    const { rows } = await readAll(tokens.ownerAdmin, l, 'seq callerFirm', 4);
    expect(rows).toEqual(truth);
    const seqs = rows.map((e) => Number(e.seq));
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    const refused = await gql(tokens.owner, queryOf(l, 'nodes { seq }', true), { first: 2 });
    expect(at(refused.data, 'firm.accessLogConnection')).toBeNull();
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', firmId: OWNER });
    const lotsCursor = String(at((await gql(tokens.owner, queryOf({ firmId: OWNER, field: 'lotsConnection' }, 'pageInfo { endCursor }', true), { first: 1 })).data, 'firm.lotsConnection.pageInfo.endCursor'));
    const foreign = await gql(tokens.ownerAdmin, queryOf(l, 'nodes { seq }', true), { first: 2, after: lotsCursor });
    expect(foreign.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after', reason: 'CURSOR_FOREIGN' });
  });
});
