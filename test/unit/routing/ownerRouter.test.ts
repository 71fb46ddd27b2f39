import { afterEach, describe, expect, it } from 'vitest';
import { OwnerRouter } from '../../../routing/ownerRouter.js';
import type { OwnerFetchEvent } from '../../../routing/ownerRouter.js';
import { echoEntities, startFakeFirmServer } from './fakeFirmServer.js';
import type { FakeAnswer, FakeFirmServer, ReceivedRequest } from './fakeFirmServer.js';

const QUERY = 'query($representations:[_Any!]!){_entities(representations:$representations){...on Lot{name}}}';
const lot = (firmId: string, lotId: string) => ({ __typename: 'Lot', firmId, lotId });

const servers: FakeFirmServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function firm(answer: (request: ReceivedRequest) => FakeAnswer = (r) => ({ body: echoEntities(r) })): Promise<FakeFirmServer> {
  const server = await startFakeFirmServer(answer);
  servers.push(server);
  return server;
}

function routerFor(endpoints: Record<string, string>, options: { timeoutMs?: number; events?: OwnerFetchEvent[] } = {}): OwnerRouter {
  return new OwnerRouter({
    endpointOf: (firmId, subgraph) => (endpoints[firmId] ? `${endpoints[firmId]}?sg=${subgraph}` : undefined),
    timeoutMs: options.timeoutMs,
    onFetch: (event) => options.events?.push(event),
  });
}

describe('OwnerRouter', () => {
  it('sends every firm only its own representations, once, and restores the order', async () => {
    const a = await firm();
    const b = await firm();
    const events: OwnerFetchEvent[] = [];
    const router = routerFor({ a: a.url, b: b.url }, { events });
    const reps = [lot('a', '1'), lot('b', '1'), lot('a', '2'), lot('a', '1'), lot('b', '3')];
    const response = await router.execute('links', { query: QUERY, variables: { representations: reps } }, { authorization: 'Bearer t', 'content-type': 'text/plain' });

    expect(response.errors).toBeUndefined();
    expect((response.data?.['_entities'] as Array<{ name: string }>).map((e) => e.name)).toEqual(['a1', 'b1', 'a2', 'a1', 'b3']);
    for (const [owner, server] of [['a', a], ['b', b]] as const) {
      expect(server.received).toHaveLength(1);
      const sent = server.received[0];
      const sentReps = sent?.body.variables?.['representations'] as Array<{ firmId: string }>;
      expect(sentReps.every((r) => r.firmId === owner)).toBe(true);
      expect(sent?.path).toBe('/graphql?sg=links');
      expect(sent?.headers['authorization']).toBe('Bearer t');
      expect(sent?.headers['content-type']).toBe('application/json');
      expect(sent?.headers['accept']).toBe('application/graphql-response+json, application/json');
    }
    expect(a.received[0]?.body.variables?.['representations']).toEqual([lot('a', '1'), lot('a', '2')]);
    expect(router.stats.requests).toBe(2);
    expect([...router.stats.byOwner]).toEqual([['a', 1], ['b', 1]]);
    const seen = events.map((e) => [e.owner, e.subgraph, e.representations, e.outcome]);
    expect(seen.sort((x, y) => String(x[0]).localeCompare(String(y[0])))).toEqual([
      ['a', 'links', 2, 'ok'],
      ['b', 'links', 2, 'ok'],
    ]);
    expect(events.every((e) => e.ms > 0)).toBe(true);
  });

  it('asks the owners in parallel', async () => {
    const slow = (r: ReceivedRequest): FakeAnswer => ({ body: echoEntities(r), delayMs: 300 });
    const a = await firm(slow);
    const b = await firm(slow);
    const router = routerFor({ a: a.url, b: b.url });
    const started = performance.now();
    const response = await router.execute('firm', { query: QUERY, variables: { representations: [lot('a', '1'), lot('b', '2')] } }, {});
    expect(performance.now() - started).toBeLessThan(550);
    expect(response.data?.['_entities']).toHaveLength(2);
    expect(response.errors).toBeUndefined();
  });

  it('turns a dead firm into FIRM_UNAVAILABLE errors naming it, and keeps the others', async () => {
    const a = await firm();
    const dead = await startFakeFirmServer(() => ({ body: '{}' }));
    await dead.close();
    const router = routerFor({ a: a.url, dead: dead.url });
    const response = await router.execute('firm', { query: QUERY, variables: { representations: [lot('dead', '1'), lot('a', '1'), lot('dead', '2')] } }, {});
    expect(response.data?.['_entities']).toEqual([null, expect.objectContaining({ name: 'a1' }), null]);
    expect(response.errors?.map((e) => [e.path, e.extensions])).toEqual([
      [['_entities', 0], { code: 'FIRM_UNAVAILABLE', firmId: 'dead' }],
      [['_entities', 2], { code: 'FIRM_UNAVAILABLE', firmId: 'dead' }],
    ]);
    expect(response.errors?.[0]?.message).toMatch(/^firm dead is unavailable/);
  });

  it('times out a slow firm (before headers or in the body) while the others answer', async () => {
    const a = await firm();
    const slow = await firm((r) => ({ body: echoEntities(r), delayMs: 3000 }));
    const slowBody = await firm((r) => ({ body: echoEntities(r), bodyDelayMs: 3000 }));
    const events: OwnerFetchEvent[] = [];
    const router = routerFor({ a: a.url, slow: slow.url, slowBody: slowBody.url }, { timeoutMs: 300, events });
    const started = performance.now();
    const response = await router.execute('firm', { query: QUERY, variables: { representations: [lot('slow', '1'), lot('a', '1'), lot('slowBody', '1')] } }, {});
    expect(performance.now() - started).toBeLessThan(300 + 250);
    expect(response.data?.['_entities']).toEqual([null, expect.objectContaining({ name: 'a1' }), null]);
    expect(response.errors).toEqual([
      { message: 'firm slow did not answer within 300 ms', path: ['_entities', 0], extensions: { code: 'FIRM_TIMEOUT', firmId: 'slow' } },
      { message: 'firm slowBody did not answer within 300 ms', path: ['_entities', 2], extensions: { code: 'FIRM_TIMEOUT', firmId: 'slowBody' } },
    ]);
    expect(events.filter((e) => e.outcome === 'FIRM_TIMEOUT').map((e) => e.owner).sort()).toEqual(['slow', 'slowBody']);
  });

  it('answers UNKNOWN_FIRM for an owner without endpoint, sending it nothing', async () => {
    const a = await firm();
    const router = routerFor({ a: a.url });
    const response = await router.execute('firm', { query: QUERY, variables: { representations: [lot('ghost', '1'), lot('a', '1')] } }, {});
    expect(response.errors).toEqual([expect.objectContaining({ path: ['_entities', 0], extensions: { code: 'UNKNOWN_FIRM', firmId: 'ghost' } })]);
    expect(router.stats.requests).toBe(1);
  });

  it("passes on a firm's GraphQL errors of a non-2xx answer, and refuses bodies that are not GraphQL", async () => {
    const denying = await firm(() => ({ status: 401, body: JSON.stringify({ errors: [{ message: 'token expired', extensions: { code: 'UNAUTHENTICATED' } }] }) }));
    const garbage = await firm(() => ({ body: '<html>proxy error</html>' }));
    const bare = await firm(() => ({ status: 502, body: '{}' }));
    const router = routerFor({ denying: denying.url, garbage: garbage.url, bare: bare.url });
    const response = await router.execute('firm', { query: QUERY, variables: { representations: [lot('denying', '1'), lot('garbage', '1'), lot('bare', '1')] } }, {});
    expect(response.data?.['_entities']).toEqual([null, null, null]);
    expect(response.errors?.map((e) => [e.message, e.path, e.extensions])).toEqual([
      ['token expired', undefined, { code: 'UNAUTHENTICATED', firmId: 'denying' }],
      ['firm garbage is unavailable: HTTP 200 with a body that is not JSON', ['_entities', 1], { code: 'FIRM_UNAVAILABLE', firmId: 'garbage' }],
      ['firm bare is unavailable: HTTP 502 with a body that is not a GraphQL response', ['_entities', 2], { code: 'FIRM_UNAVAILABLE', firmId: 'bare' }],
    ]);
  });

  it('sends a request with other root fields nowhere', async () => {
    const a = await firm();
    const router = routerFor({ a: a.url });
    const response = await router.execute('firm', { query: '{ lots { lotId } }' }, {});
    expect(response.errors?.[0]?.extensions?.['code']).toBe('NOT_ROUTABLE');
    expect(a.received).toHaveLength(0);
  });

  it('sends a request routed by firmId to the firm it names only, and maps its failure to null root fields', async () => {
    const mutation = 'mutation($a: ID!) { r: revokeAgreement(firmId: $a, agreementId: "x") { state } }';
    const a = await firm(() => ({ body: JSON.stringify({ data: { r: { state: 'REVOKED' } } }) }));
    const b = await firm();
    const slow = await firm(() => ({ body: '{"data":{}}', delayMs: 3000 }));
    const dead = await startFakeFirmServer(() => ({ body: '{}' }));
    await dead.close();
    const events: OwnerFetchEvent[] = [];
    const router = routerFor({ a: a.url, b: b.url, slow: slow.url, dead: dead.url }, { timeoutMs: 300, events });

    const response = await router.execute('firm', { query: mutation, variables: { a: 'a' } }, { authorization: 'Bearer t' });
    expect(response).toEqual({ data: { r: { state: 'REVOKED' } } });
    expect(a.received.map((r) => [r.body.query, r.body.variables, r.headers['authorization']])).toEqual([[mutation, { a: 'a' }, 'Bearer t']]);
    expect(b.received).toHaveLength(0);
    expect(events).toEqual([expect.objectContaining({ owner: 'a', subgraph: 'firm', representations: 0, outcome: 'ok' })]);

    for (const [owner, code] of [['slow', 'FIRM_TIMEOUT'], ['dead', 'FIRM_UNAVAILABLE'], ['ghost', 'UNKNOWN_FIRM']] as const) {
      const failed = await router.execute('firm', { query: mutation, variables: { a: owner } }, {});
      expect(failed.data).toEqual({ r: null });
      expect(failed.errors).toEqual([{ message: expect.stringContaining(`firm ${owner}`), path: ['r'], extensions: { code, firmId: owner } }]);
    }
  });

  it('sends a request whose root fields name different firms nowhere', async () => {
    const a = await firm();
    const b = await firm();
    const router = routerFor({ a: a.url, b: b.url });
    const query = 'mutation { x: revokeAgreement(firmId: "a", agreementId: "1") { state } y: revokeAgreement(firmId: "b", agreementId: "2") { state } }';
    const response = await router.execute('firm', { query }, {});
    expect(response.errors?.[0]?.extensions?.['code']).toBe('NOT_ROUTABLE');
    expect(a.received.length + b.received.length).toBe(0);
  });
});
