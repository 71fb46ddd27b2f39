import { serverAudits, type AuditResult } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from '../../gateway/startGateway.js';
import { signedPart, type RawRequest } from '../../http/rawRequest.js';
import { generateKeyPair } from '../../identity/keys.js';
import { startTestCluster, type TestCluster } from '../harness/testCluster.js';

/**
 * GraphQL-over-HTTP conformance: graphql-http's server audits against the real gateway, the
 * same gateway with introspection on, and one firm subgraph. Every MUST passes on every
 * target. Three audits (BF61, 28B9 and the SHOULD 2EA1) probe with `__type(name:) { name }`:
 * with introspection off our servers answer that name lookup and nothing more of the schema
 * (limits/typeNamesOnlyIntrospection.ts), so they pass too, while `__schema` and a type's
 * fields stay refused. The failing SHOULDs are pinned per target, so a new regression fails.
 * Each exception is explained in README, "Conformance, bad input and load".
 */

/** Apollo Server answers parse, validation and coercion failures with 400 under application/json too (README). */
const APOLLO_400_SHOULDS = ['572B', 'FDE2', '7B9B'];

type Target = 'gateway' | 'gateway+introspection' | 'firm';
/** SHOULD audits each target is known to fail, by id. */
const SHOULD_EXCEPTIONS: Record<Target, string[]> = {
  gateway: APOLLO_400_SHOULDS,
  'gateway+introspection': APOLLO_400_SHOULDS,
  firm: APOLLO_400_SHOULDS,
};

type FetchFn = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** A fetch that adds our credentials to every audit request (the audits send none), given the request's raw bytes. */
function withHeaders(extra: (raw: RawRequest) => Record<string, string>): FetchFn {
  return (input, init = {}) => {
    const headers = new Headers(init.headers);
    const url = new URL(input instanceof Request ? input.url : String(input));
    const raw = { method: (init.method ?? 'GET').toUpperCase(), body: typeof init.body === 'string' ? init.body : '', search: url.search };
    for (const [k, v] of Object.entries(extra(raw))) headers.set(k, v);
    return fetch(input, { ...init, headers });
  };
}

interface Recorded {
  result: AuditResult;
  /** Status and body of the response of a failed audit. */
  status?: number;
  body?: string;
}

async function runAudits(url: string, headers: (raw: RawRequest) => Record<string, string>): Promise<Map<string, Recorded>> {
  const out = new Map<string, Recorded>();
  for (const audit of serverAudits({ url, fetchFn: withHeaders(headers) })) {
    const result = await audit.fn();
    if (result.status === 'ok') {
      out.set(audit.id, { result });
      continue;
    }
    const body = await result.response.text().catch(() => '(body already read)');
    out.set(audit.id, { result, status: result.response.status, body });
  }
  return out;
}

const AUDITS = serverAudits({ url: 'http://127.0.0.1/unused' }).map((a) => ({ id: a.id, name: a.name }));
const TARGETS: Target[] = ['gateway', 'gateway+introspection', 'firm'];

describe('GraphQL-over-HTTP conformance (graphql-http server audits)', () => {
  let cluster: TestCluster;
  let introspective: RunningGateway;
  let token: string;
  let firmUrl: string;
  const results = new Map<Target, Map<string, Recorded>>();

  beforeAll(async () => {
    // Rate limits raised out of the way: ~60 audits in a burst must not meet a 429.
    const high = { rateLimit: { requestsPerSecond: 100_000, burst: 100_000 } };
    cluster = await startTestCluster({ seed: { lotsPerFirm: 2 }, limits: { gateway: high, subgraphs: high } });
    // The audits' `__type` probes never reach a subgraph, so this gateway's own key need not be trusted.
    introspective = await startGateway({
      registryUrl: cluster.registryUrl,
      directory: cluster.gatewayDirectory,
      gatewayId: 'main',
      privateKeyPem: generateKeyPair().privateKeyPem,
      introspection: true,
      limits: { rateLimit: false },
      log: () => undefined,
    });
    token = cluster.token('skyframe');
    firmUrl = cluster.firms.get('structura')?.server?.endpoints.firm ?? '';
    const bearer = (): Record<string, string> => ({ authorization: `Bearer ${token}` });
    results.set('gateway', await runAudits(cluster.gatewayUrl, bearer));
    results.set('gateway+introspection', await runAudits(introspective.url, bearer));
    const toStructura = { kind: 'firm', firmId: 'structura' } as const;
    results.set('firm', await runAudits(firmUrl, (raw) => ({ ...bearer(), 'x-dataspace-gateway': cluster.gatewayCredential(token, toStructura, signedPart(raw)) })));
    for (const [target, map] of results) {
      const failed = [...map.values()].filter((r) => r.result.status !== 'ok');
      console.log(`${target}: ${map.size - failed.length}/${map.size} audits ok`);
      for (const { result: r, status, body } of failed) console.log(`  ${r.status} ${r.id} ${r.name} → ${status} ${body?.slice(0, 160)}`);
    }
  });
  afterAll(async () => {
    await introspective?.close();
    await cluster?.stop();
  });

  for (const target of TARGETS) {
    describe(target, () => {
      for (const { id, name } of AUDITS.filter((a) => a.name.startsWith('MUST'))) {
        it(`${id} ${name}`, () => {
          const r = results.get(target)?.get(id);
          expect(r?.result.status, `${r?.status} ${r?.body}`).toBe('ok');
        });
      }
      it('fails exactly the documented SHOULD exceptions', () => {
        const failing = [...(results.get(target)?.values() ?? [])]
          .filter((r) => r.result.name.startsWith('SHOULD') && r.result.status !== 'ok')
          .map((r) => r.result.id);
        expect(failing.sort()).toEqual([...SHOULD_EXCEPTIONS[target]].sort());
      });
    });
  }

  it('the audits\' `__type` probe learns whether a type exists, never the schema: introspection stays off', async () => {
    const gw = { authorization: `Bearer ${token}` };
    const post = (url: string, asGateway: boolean, query: string): Promise<Response> => {
      const body = JSON.stringify({ query });
      const credential: Record<string, string> = asGateway ? { 'x-dataspace-gateway': cluster.gatewayCredential(token, { kind: 'firm', firmId: 'structura' }, body) } : {};
      return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json', ...gw, ...credential }, body });
    };
    for (const [url, asGateway] of [[cluster.gatewayUrl, false], [firmUrl, true]] as const) {
      const exists = await post(url, asGateway, '{ __type(name: "Lot") { name kind } }');
      expect(await exists.json()).toEqual({ data: { __type: { name: 'Lot', kind: 'OBJECT' } } });
      for (const query of ['{ __schema { types { name } } }', '{ __type(name: "Lot") { fields { name } } }', '{ __type(name: "Lot") { ... on __Type { description } } }']) {
        const refused = await post(url, asGateway, query);
        expect(refused.status).toBe(400);
        const body = (await refused.json()) as { data?: unknown; errors: { extensions: Record<string, unknown> }[] };
        expect(body.data).toBeUndefined();
        expect(body.errors[0]?.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', validationErrorCode: 'INTROSPECTION_DISABLED' });
      }
    }
  });
});
