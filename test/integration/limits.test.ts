import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningCluster } from '../../local/startCluster.js';
import type { RunningGateway } from '../../gateway/startGateway.js';
import { GATEWAY_LIMITS } from '../../limits/limitsConfig.js';
import { sha256Hex, TrustedDocuments } from '../../limits/trustedDocuments.js';
import { at, postGraphQL, readMetric, type GraphQLResult } from '../harness/graphqlClient.js';
import { GENEALOGY_QUERY } from '../harness/queries.js';
import { startExtraGateway } from '../harness/startExtraGateway.js';
import { startTestCluster, type TestCluster } from '../harness/testCluster.js';
import { postAsGateway } from '../harness/postAsGateway.js';

const STRUCTURA = { firmId: 'structura' };
const STRUCTURA_DESTINATION = { kind: 'firm', firmId: 'structura' } as const;

/** A genealogy `tiers` levels of `components { component { lot` below one lead lot: depth 3 × tiers + 4. */
function genealogy(tiers: number): string {
  const open = '{ component { lot { firmId lotId status components '.repeat(tiers);
  return `{ firm(id: "skyframe") { lots(first: 1) { lotId components ${open}{ quantityUsed }${' } } }'.repeat(tiers)} } } }`;
}

/** `lots(first: 1) { part {` n times inside one firm: depth 2n + 2, cheap (every list sliced to 1). */
function chain(n: number): string {
  return `{ firm(id: "skyframe") { ${'lots(first: 1) { part { '.repeat(n)}name${' } }'.repeat(n)} } }`;
}

const ENTITIES = (selection: string) => `query($r: [_Any!]!) { _entities(representations: $r) { ${selection} } }`;
const LIMIT_CODES = /OPERATION_TOO_DEEP|TOO_MANY_|OPERATION_TOO_COSTLY|RATE_LIMITED/;

function expectRefused(r: GraphQLResult, code: string, limit: number, value?: number): void {
  expect(r.status).toBe(400);
  expect(r.data ?? undefined).toBeUndefined();
  expect(r.errors).toHaveLength(1);
  expect(r.errors?.[0]?.extensions).toEqual({ code, limit, ...(value === undefined ? {} : { value }) });
  expect(r.errors?.[0]?.message).toMatch(new RegExp(`the limit \\(max\\w+\\) is ${limit}\\.$`));
  expect(JSON.stringify(r)).not.toMatch(/stacktrace|\.ts:\d+|node_modules/);
}


async function limitRejections(cluster: RunningCluster): Promise<number> {
  let total = 0;
  for (const f of cluster.firms.values()) total += await readMetric(f.server?.url ?? '', 'dataspace_limit_rejections_total');
  return total;
}

describe(`limits at the gateway and at every firm (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  let cluster: TestCluster;
  let measuring: RunningGateway;
  let trusted: RunningGateway;
  let token: string;
  let firmUrl: string;

  beforeAll(async () => {
    cluster = await startTestCluster({ seed: { lotsPerFirm: 6 } });
    token = cluster.token('skyframe');
    firmUrl = cluster.firms.get('structura')?.server?.endpoints.firm ?? '';
    measuring = await startExtraGateway(cluster, 'measuring', { limits: { costMode: 'measure' } });
    trusted = await startExtraGateway(cluster, 'trusted', { trustedDocuments: TrustedDocuments.fromManifest({ [sha256Hex(GENEALOGY_QUERY)]: GENEALOGY_QUERY }) });
  });
  afterAll(async () => {
    await measuring?.close();
    await trusted?.close();
    await cluster?.stop();
  });

  it("runs the demo genealogy well within the defaults: depth 13 of 20, cost 1,317 of 1,000,000 for two lots", async () => {
    const r = await postGraphQL(measuring.url, GENEALOGY_QUERY, { token, variables: { first: 2 } });
    expect(r.status).toBe(200);
    expect((at(r.data, 'firm.lots') as unknown[]).length).toBe(2);
    const raw = (await (await fetch(measuring.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: GENEALOGY_QUERY, variables: { first: 2 } }),
    })).json()) as { extensions?: { cost?: unknown } };
    // 1 + 2 × (2 + 4 × (4 + 4 × (4 + 4 × (4 + 5)))): `Lot.components` assumed 4, `Lot.inspections` 5 (GATEWAY_LIMITS.listSizes)
    expect(raw.extensions?.cost).toEqual({ estimated: 1_317, max: GATEWAY_LIMITS.maxCost, result: 'OK' });
  });

  it("accepts legitimate deep queries, and no firm refuses the gateway's fetches for them", async () => {
    const before = await limitRejections(cluster);
    // four tiers below the lead (one more than the demo data has): depth 16, cost 2,046
    const walk = await postGraphQL(cluster.gatewayUrl, genealogy(4), { token });
    expect(walk.status).toBe(200);
    expect(JSON.stringify(walk.errors ?? [])).not.toMatch(LIMIT_CODES);
    expect(at(walk.data, 'firm.lots.0.components.0.component.lot.components.0.component.lot.firmId')).toBeTruthy();
    // depth 20, the limit, in one firm: its fetch is 19 deep from inside _entities
    const deep = await postGraphQL(cluster.gatewayUrl, chain(9), { token });
    expect(deep.status).toBe(200);
    expect(deep.errors).toBeUndefined();
    expect(at(deep.data, `firm.lots.0${'.part.lots.0'.repeat(8)}.part.name`)).toBeTruthy();
    expect(await limitRejections(cluster)).toBe(before);
  });

  it('refuses a query deeper than maxDepth before any firm is asked', async () => {
    const sent = cluster.gateway.router.stats.requests;
    expectRefused(await postGraphQL(cluster.gatewayUrl, chain(10), { token }), 'OPERATION_TOO_DEEP', 20, 22);
    expectRefused(await postGraphQL(cluster.gatewayUrl, genealogy(6), { token }), 'OPERATION_TOO_DEEP', 20, 22);
    expect(cluster.gateway.router.stats.requests).toBe(sent);
  });

  it('accepts the genealogy at its default page of 100 lots and refuses a page of 2,000 as too costly', async () => {
    const page = await postGraphQL(cluster.gatewayUrl, GENEALOGY_QUERY, { token }); // 65,801
    expect(page.status).toBe(200);
    expect(JSON.stringify(page.errors ?? [])).not.toMatch(LIMIT_CODES);
    const variables = { first: 2000 }; // 1 + 2000 × 658
    expectRefused(await postGraphQL(cluster.gatewayUrl, GENEALOGY_QUERY, { token, variables }), 'OPERATION_TOO_COSTLY', 1_000_000, 1_316_001);
    // measure mode reports the same estimate and runs it
    const measured = await fetch(measuring.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: GENEALOGY_QUERY, variables }),
    });
    expect(measured.status).toBe(200);
    expect(((await measured.json()) as { extensions?: unknown }).extensions).toEqual({
      cost: { estimated: 1_316_001, max: 1_000_000, result: 'OPERATION_TOO_COSTLY' },
    });
  });

  it('refuses too many aliases, root fields and tokens with their codes', async () => {
    const aliases = `{ ${Array.from({ length: 31 }, (_, i) => `f${i}: firms { id }`).join(' ')} }`;
    const r1 = await postGraphQL(cluster.gatewayUrl, aliases, { token });
    expectRefused(r1, 'TOO_MANY_ALIASES', 30, 31);
    const r2 = await postGraphQL(cluster.gatewayUrl, `{ firms { id } ${'relationships { supplier { id } } '.repeat(20)}}`, { token });
    expectRefused(r2, 'TOO_MANY_ROOT_FIELDS', 20, 21);
    const r3 = await postGraphQL(cluster.gatewayUrl, `{ firms { ${'id '.repeat(5000)}} }`, { token });
    expectRefused(r3, 'TOO_MANY_TOKENS', 5000, 5005);
  });

  it('refuses a body over maxBodyBytes with 413 and a JSON array (batching) with 400', async () => {
    const big = await postGraphQL(cluster.gatewayUrl, `{ firms { id } } # ${'x'.repeat(1024 * 1024)}`, { token });
    expect(big.status).toBe(413);
    expect(big.errors?.[0]?.extensions?.code).toBe('REQUEST_TOO_LARGE');
    const batch = JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]);
    for (const [url, headers] of [
      [cluster.gatewayUrl, { authorization: `Bearer ${token}` }],
      [firmUrl, { authorization: `Bearer ${token}`, 'x-dataspace-gateway': cluster.gatewayCredential(token, STRUCTURA_DESTINATION, batch) }],
    ] as const) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: batch,
      });
      expect(res.status, url).toBe(400);
      expect(((await res.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code).toBe('BAD_REQUEST');
    }
  });

  it('keeps introspection off and strips field suggestions at the gateway and at a firm', async () => {
    const intro = '{ __schema { types { name } } }';
    for (const r of [await postGraphQL(cluster.gatewayUrl, intro, { token }), await postAsGateway(cluster, STRUCTURA, intro, { token })]) {
      expect(r.status).toBe(400);
      expect(JSON.stringify(r)).not.toContain('"Lot"');
    }
    const gw = await postGraphQL(cluster.gatewayUrl, '{ firms { nam } }', { token });
    expect(gw.errors?.[0]?.message).toBe('Cannot query field "nam" on type "Firm".');
    const firm = await postAsGateway(cluster, STRUCTURA, ENTITIES('... on Lot { statu }'), { token, variables: { r: [] } });
    expect(firm.errors?.[0]?.message).toBe('Cannot query field "statu" on type "Lot".');
    const enumTypo = await postGraphQL(cluster.gatewayUrl, '{ firm(id: "skyframe") { lots(first: 1, status: RELEASD) { lotId } } }', { token });
    expect(JSON.stringify([gw, firm, enumTypo])).not.toMatch(/Did you mean|stacktrace/);
  });

  it("applies the firm's own limits to a caller that plays the gateway: depth from _entities, cost from representations", async () => {
    const deep = `... on Lot { ${'part { lots(first: 1) { '.repeat(11)}lotId${' } }'.repeat(11)} }`; // 23 levels inside _entities
    const r1 = await postAsGateway(cluster, STRUCTURA, ENTITIES(deep), { token, variables: { r: [{ __typename: 'Lot', firmId: 'structura', lotId: 'structura-L0001' }] } });
    expectRefused(r1, 'OPERATION_TOO_DEEP', 20, 23);
    const costly = '... on Firm { lots(first: 5000) { part { lots(first: 500) { lotId } } } }'; // 1 × (1 + 5000 × (1 + 1 + 500))
    const r2 = await postAsGateway(cluster, STRUCTURA, ENTITIES(costly), { token, variables: { r: [{ __typename: 'Firm', id: 'structura' }] } });
    expectRefused(r2, 'OPERATION_TOO_COSTLY', 2_000_000, 2_510_001);
    expect(await readMetric(cluster.firms.get('structura')?.server?.url ?? '', 'dataspace_limit_rejections_total')).toBeGreaterThanOrEqual(2);
  });

  it('trusted-documents mode runs only the manifest: by hash or exact text', async () => {
    const byHash = await fetch(trusted.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ variables: { first: 1 }, extensions: { persistedQuery: { version: 1, sha256Hash: sha256Hex(GENEALOGY_QUERY) } } }),
    });
    expect(byHash.status).toBe(200);
    expect(at(await byHash.json(), 'data.firm.lots.0.lotId')).toBeTruthy();
    expect((await postGraphQL(trusted.url, GENEALOGY_QUERY, { token, variables: { first: 1 } })).status).toBe(200);
    const other = await postGraphQL(trusted.url, '{ firms { id } }', { token });
    expect(other.status).toBe(400);
    expect(other.errors?.[0]?.extensions?.code).toBe('QUERY_NOT_IN_SAFELIST');
    const unknown = await fetch(trusted.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } } }),
    });
    expect(unknown.status).toBe(400);
    expect(at(await unknown.json(), 'errors.0.extensions.code')).toBe('PERSISTED_QUERY_NOT_IN_LIST');
  });
});

describe('rate limits per caller firm, at the gateway and at each firm', () => {
  let cluster: TestCluster;

  beforeAll(async () => {
    cluster = await startTestCluster({
      seed: { lotsPerFirm: 4 },
      limits: { gateway: { rateLimit: { requestsPerSecond: 0.2, burst: 3 } }, subgraphs: { rateLimit: { requestsPerSecond: 0.2, burst: 4 } } },
    });
  });
  afterAll(async () => cluster?.stop());

  it('answers 429 with Retry-After once a firm has spent its burst at the gateway; other firms are unaffected', async () => {
    const token = cluster.token('avionix');
    for (let i = 0; i < 3; i += 1) expect((await postGraphQL(cluster.gatewayUrl, '{ firms { id } }', { token })).status).toBe(200);
    const limited = await postGraphQL(cluster.gatewayUrl, '{ firms { id } }', { token });
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(5); // one request per 5 s
    expect(limited.errors?.[0]?.extensions).toEqual({ code: 'RATE_LIMITED', limit: 0.2, retryAfterSeconds: retryAfter });
    expect(JSON.stringify(limited)).not.toMatch(/stacktrace/);
    expect((await postGraphQL(cluster.gatewayUrl, '{ firms { id } }', { token: cluster.token('structura') })).status).toBe(200);
    expect(await readMetric(cluster.gatewayUrl, 'dataspace_rate_limited_total')).toBe(1);
  });

  it("a firm limits each caller firm itself: its 429 reaches the client as that firm's RATE_LIMITED error", async () => {
    const token = cluster.token('skyframe');
    for (let i = 0; i < 4; i += 1) expect((await postAsGateway(cluster, STRUCTURA, '{ _service { sdl } }', { token })).status).toBe(200);
    const direct = await postAsGateway(cluster, STRUCTURA, '{ _service { sdl } }', { token });
    expect(direct.status).toBe(429);
    expect(Number(direct.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(direct.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    // Through the gateway, structura's piece is null with its error; the rest of the answer stays.
    const r = await postGraphQL(cluster.gatewayUrl, '{ firm(id: "structura") { lots(first: 1) { lotId } } }', { token });
    expect(r.status).toBe(200);
    expect(r.errors?.some((e) => e.extensions?.code === 'RATE_LIMITED' && e.extensions?.firmId === 'structura')).toBe(true);
  });
});
