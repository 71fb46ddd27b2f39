import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterAudience, memberIssuer } from '../../cluster/directory.js';
import { generateKeyPair } from '../../identity/keys.js';
import { hostileRequest, hostileToken, hostileVariables, LEAK, representation, FIRM_QUERIES, type FuzzRequest } from '../harness/fuzzRequests.js';
import { hostileEntitiesBody } from '../harness/fuzzEntities.js';
import { postGraphQL } from '../harness/graphqlClient.js';
import { startTestCluster, type TestCluster } from '../harness/testCluster.js';

/** The firm the suite fuzzes, as a gateway credential's destination. */
const STRUCTURA = { kind: 'firm', firmId: 'structura' } as const;

/**
 * Bad input: thousands of seeded, hostile requests (documents, variables, headers, tokens,
 * bodies, methods) against the gateway and a firm subgraph. Properties: no 5xx, every
 * response (except HEAD) is JSON with `data` or `errors: [{ message, extensions: { code } }]`,
 * nothing internal leaks, forged tokens are refused, and both servers still work at the end.
 */

const SEED = 42;
/** Runs per property; each run sends one request to the gateway and one to the firm. */
const RUNS = { requests: 1_300, tokens: 450, credentials: 150, variables: 250 };
/** Runs of the `_entities` shapes property (issue 8): one request to the firm each. */
const ENTITY_RUNS = 300;

interface Sent {
  status: number;
  body: string;
}

/** What is wrong with a response, or undefined. */
function problemOf(method: string, r: Sent): string | undefined {
  if (r.status >= 500) return `status ${r.status}`;
  if (LEAK.test(r.body)) return 'leaks internals';
  if (method === 'HEAD') return r.body === '' ? undefined : 'HEAD with a body';
  let json: unknown;
  try {
    json = JSON.parse(r.body);
  } catch {
    return 'body is not JSON';
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return 'body is not a JSON object';
  const { data, errors } = json as { data?: unknown; errors?: unknown };
  if (errors === undefined) return data === undefined ? 'neither data nor errors' : undefined;
  if (!Array.isArray(errors) || errors.length === 0) return 'errors is not a non-empty list';
  for (const e of errors as { message?: unknown; path?: unknown; extensions?: { code?: unknown } }[]) {
    if (typeof e?.message !== 'string') return 'an error without a message';
    if (typeof e.extensions?.code !== 'string') return `an error without extensions.code: ${e.message.slice(0, 100)}`;
    if (e.extensions.code === 'INTERNAL_SERVER_ERROR') return `internal error: ${e.message.slice(0, 100)}`;
  }
  return undefined;
}

function describeRequest(req: FuzzRequest): string {
  const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, v.length > 80 ? `${v.slice(0, 80)}…(${v.length})` : v]));
  const body = req.body && req.body.length > 300 ? `${req.body.slice(0, 300)}…(${req.body.length})` : req.body;
  return JSON.stringify({ method: req.method, search: req.search?.slice(0, 300), headers, auth: req.auth, body });
}

describe('bad input (seeded fuzzing of the gateway and a firm subgraph)', () => {
  let cluster: TestCluster;
  let token: string;
  let firmUrl: string;
  let sent = 0;
  const statuses = new Map<string, number>();
  const logged: unknown[] = [];
  const slow: [number, string][] = [];

  /** Sends a request to an endpoint; the firm also gets the gateway credential unless the request brings its own. */
  async function send(url: string, req: FuzzRequest, firm: boolean): Promise<Sent> {
    const headers: Record<string, string> = { ...req.headers };
    const auth = req.auth.kind === 'valid' ? `Bearer ${token}` : req.auth.kind === 'header' ? req.auth.value : undefined;
    if (auth !== undefined) headers.authorization = auth;
    // The credential a gateway would send with exactly these bytes (the body of a POST, the search of a GET).
    const signed = req.method.toUpperCase() === 'POST' ? (req.body ?? '') : (req.search ?? '');
    if (firm && headers['x-dataspace-gateway'] === undefined) headers['x-dataspace-gateway'] = cluster.gatewayCredential(token, STRUCTURA, signed);
    if (!firm) delete headers['x-dataspace-gateway'];
    sent++;
    const t0 = performance.now();
    try {
      const res = await fetch(url + (req.search ?? ''), { method: req.method, headers, ...(req.body === undefined ? {} : { body: req.body }) });
      const body = await res.text();
      const key = `${firm ? 'firm' : 'gateway'} ${res.status}${body.includes('"data":{') ? ' data' : ''}`;
      statuses.set(key, (statuses.get(key) ?? 0) + 1);
      slow.push([performance.now() - t0, `${key} ${describeRequest(req).slice(0, 300)}`]);
      slow.sort((a, b) => b[0] - a[0]).splice(3);
      return { status: res.status, body };
    } catch (err) {
      throw new Error(`no response (${(err as Error).cause ?? err}) to ${describeRequest(req)}`);
    }
  }

  async function sendBoth(req: FuzzRequest, firmReq: FuzzRequest = req): Promise<[Sent, Sent]> {
    const gw = await send(cluster.gatewayUrl, req, false);
    const problemGw = problemOf(req.method, gw);
    if (problemGw) throw new Error(`gateway: ${problemGw} (${gw.status} ${gw.body.slice(0, 300)}) for ${describeRequest(req)}`);
    const fm = await send(firmUrl, firmReq, true);
    const problemFm = problemOf(firmReq.method, fm);
    if (problemFm) throw new Error(`firm: ${problemFm} (${fm.status} ${fm.body.slice(0, 300)}) for ${describeRequest(firmReq)}`);
    return [gw, fm];
  }

  const post = (query: string, variables: unknown, auth: FuzzRequest['auth'] = { kind: 'valid' }): FuzzRequest => ({
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    auth,
    body: JSON.stringify({ query, variables }),
  });

  beforeAll(async () => {
    // Rate limits raised out of the way (the limiter still runs): the fuzzer is after the GraphQL handling.
    const high = { rateLimit: { requestsPerSecond: 100_000, burst: 100_000 } };
    cluster = await startTestCluster({ seed: { lotsPerFirm: 3 }, log: (e) => logged.push(e), limits: { gateway: high, subgraphs: high } });
    token = cluster.token('skyframe');
    firmUrl = cluster.firms.get('structura')?.server?.endpoints.firm ?? '';
  });
  afterAll(async () => {
    console.log(`fuzz: ${sent} requests; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a.localeCompare(b))))}; ${logged.length} internal errors logged`);
    for (const [ms, what] of slow) console.log(`slow ${ms.toFixed(0)} ms: ${what}`);
    const messages = new Map<string, number>();
    for (const e of logged) messages.set(String(e).slice(0, 200), (messages.get(String(e).slice(0, 200)) ?? 0) + 1);
    for (const [m, n] of messages) console.log(`logged ${n}×: ${m}`);
    await cluster?.stop();
  });

  it('hostile requests: documents, variables, headers, bodies, methods', async () => {
    await fc.assert(
      fc.asyncProperty(hostileRequest, async (req) => {
        await sendBoth(req);
      }),
      { seed: SEED, numRuns: RUNS.requests, endOnFailure: true },
    );
  });

  it('hostile variables and _entities representations', async () => {
    const entities = FIRM_QUERIES[2] ?? '';
    await fc.assert(
      fc.asyncProperty(hostileVariables, fc.array(representation(), { maxLength: 10 }), async (variables, reps) => {
        await sendBoth(post('query One($id: ID!) { firm(id: $id) { id name lots(first: 1) { lotId } } }', variables), post(entities, { r: reps }));
      }),
      { seed: SEED, numRuns: RUNS.variables, endOnFailure: true },
    );
  });

  it('hostile tokens: forged ones are refused with 401 at the gateway and at the firm', async () => {
    const firmKeys = cluster.firms.get('skyframe')?.keys;
    const keys = {
      valid: token,
      privateKeyPem: firmKeys?.privateKeyPem ?? '',
      publicKeyPem: firmKeys?.publicKeyPem ?? '',
      strangerKeyPem: generateKeyPair().privateKeyPem,
      issuer: memberIssuer('aero-cluster', 'skyframe'),
      audience: clusterAudience('aero-cluster'),
    };
    await fc.assert(
      fc.asyncProperty(hostileToken(keys), async ({ token: t, forged }) => {
        const auth = { kind: 'header' as const, value: `Bearer ${t}` };
        const firmReq = post(FIRM_QUERIES[2] ?? '', { r: [{ __typename: 'Lot', firmId: 'structura', lotId: 'structura-L0001' }] }, auth);
        const [gw, fm] = await sendBoth(post('{ firms { id } }', undefined, auth), {
          ...firmReq,
          headers: { ...firmReq.headers, 'x-dataspace-gateway': cluster.gatewayCredential(t, STRUCTURA, firmReq.body ?? '') },
        });
        if (forged) {
          expect(gw.status, gw.body).toBe(401);
          expect(fm.status, fm.body).toBe(401);
        } else {
          expect([200, 401, 429]).toContain(gw.status);
          expect([200, 401, 429]).toContain(fm.status);
        }
      }),
      { seed: SEED, numRuns: RUNS.tokens, endOnFailure: true },
    );
  });

  it('hostile gateway credentials at the firm: refused', async () => {
    const other = cluster.token('avionix');
    const req = post('{ _service { sdl } }', undefined);
    const body = req.body ?? '';
    const credential = fc.oneof(
      fc.string({ maxLength: 200 }).map((s) => s.replace(/[^\x20-\x7e]/g, '')),
      fc.constant(cluster.gatewayCredential(other, STRUCTURA, body)),
      fc.constant(token),
      fc.constant(`${cluster.gatewayCredential(token, STRUCTURA, body)}x`),
      fc.constant(cluster.gatewayCredential(token, STRUCTURA, body).split('.').slice(0, 2).join('.')),
      // Meant for another firm, for the registry, for another request.
      fc.constant(cluster.gatewayCredential(token, { kind: 'firm', firmId: 'precimach' }, body)),
      fc.constant(cluster.gatewayCredential(token, { kind: 'registry' }, body)),
      fc.constant(cluster.gatewayCredential(token, STRUCTURA, `${body} `)),
    );
    await fc.assert(
      fc.asyncProperty(credential, async (c) => {
        const fm = await send(firmUrl, { ...req, headers: { ...req.headers, 'x-dataspace-gateway': c } }, true);
        expect(problemOf('POST', fm)).toBeUndefined();
        expect(fm.status, fm.body).toBe(401);
      }),
      { seed: SEED, numRuns: RUNS.credentials, endOnFailure: true },
    );
  });

  it('hostile _entities shapes at the firm: a bad representation is the caller\'s 400, however the operation is written', async () => {
    const codes = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(hostileEntitiesBody, async (body) => {
        const fm = await send(firmUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, auth: { kind: 'valid' }, body }, true);
        const problem = problemOf('POST', fm);
        if (problem) throw new Error(`firm: ${problem} (${fm.status} ${fm.body.slice(0, 300)}) for ${body.slice(0, 300)}`);
        expect(fm.status, `${fm.body.slice(0, 300)} for ${body.slice(0, 300)}`).toBe(400);
        const error = (JSON.parse(fm.body) as { errors: { message: string; extensions: { code: string } }[] }).errors[0];
        const code = error?.extensions.code ?? '';
        codes.set(code, (codes.get(code) ?? 0) + 1);
        // A null in a `[_Any!]!` literal fails validation, in variables their coercion; the rest is the representation check's.
        expect(['BAD_USER_INPUT', 'OPERATION_TOO_DEEP', 'GRAPHQL_VALIDATION_FAILED'], `${fm.body.slice(0, 300)} for ${body.slice(0, 300)}`).toContain(code);
        if (code === 'BAD_USER_INPUT') expect(error?.message).toMatch(/^(representations\[\d+\]|Variable "\$r" got invalid value null at "r\[\d+\]")/);
      }),
      { seed: SEED, numRuns: ENTITY_RUNS, endOnFailure: true },
    );
    expect(codes.get('BAD_USER_INPUT')).toBeGreaterThan(ENTITY_RUNS / 2);
  });

  it('both servers still work afterwards, and the run was big enough', async () => {
    for (const url of [cluster.gatewayUrl, firmUrl]) expect((await fetch(new URL('/health', url))).status).toBe(200);
    const r = await postGraphQL(cluster.gatewayUrl, '{ firm(id: "structura") { lots(first: 1) { lotId } } }', { token });
    expect(r.status).toBe(200);
    expect(r.errors).toBeUndefined();
    expect(sent).toBeGreaterThanOrEqual(3_000);
    expect([...statuses.keys()].filter((k) => / 5\d\d/.test(k))).toEqual([]);
  });

  it('logs no internal error: every bad input is refused as the caller\'s mistake', async () => {
    // Last: runs after the other properties (vitest runs a file's tests in order).
    expect(logged.map((e) => String(e).slice(0, 200))).toEqual([]);
  });
});
