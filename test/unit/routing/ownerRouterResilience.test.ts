import { afterEach, describe, expect, it } from 'vitest';
import { OwnerRouter } from '../../../routing/ownerRouter.js';
import type { OwnerFetchEvent } from '../../../routing/ownerRouter.js';
import { echoEntities, startFakeFirmServer } from './fakeFirmServer.js';
import type { FakeAnswer, FakeFirmServer, ReceivedRequest } from './fakeFirmServer.js';

const QUERY = 'query($representations:[_Any!]!){_entities(representations:$representations){...on Lot{name}}}';
const lot = (firmId: string, lotId: string) => ({ __typename: 'Lot', firmId, lotId });
const entities = (firms: string[]) => ({ query: QUERY, variables: { representations: firms.map((f, i) => lot(f, String(i))) } });

const servers: FakeFirmServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function firm(answer: (request: ReceivedRequest) => FakeAnswer = (r) => ({ body: echoEntities(r) })): Promise<FakeFirmServer> {
  const server = await startFakeFirmServer(answer);
  servers.push(server);
  return server;
}

/** A firm that can be switched between answering, refusing connections (503 here: a dead upstream) and being slow. */
async function switchableFirm(): Promise<{ server: FakeFirmServer; mode: { now: 'up' | 'down' | 'slow' } }> {
  const mode: { now: 'up' | 'down' | 'slow' } = { now: 'up' };
  const server = await firm((r) =>
    mode.now === 'up' ? { body: echoEntities(r) } : mode.now === 'slow' ? { body: echoEntities(r), delayMs: 2_000 } : { status: 503, body: 'upstream down' },
  );
  return { server, mode };
}

describe('OwnerRouter circuit breaker', () => {
  it('skips a firm after N consecutive failures without sending it anything, names it and when it is retried', async () => {
    const a = await firm();
    const { server: flaky, mode } = await switchableFirm();
    mode.now = 'down';
    const clock = { t: Date.parse('2030-01-01T00:00:00Z') };
    const events: OwnerFetchEvent[] = [];
    const router = new OwnerRouter({
      endpointOf: (id) => ({ a: a.url, flaky: flaky.url })[id],
      circuitBreaker: { failureThreshold: 3, cooldownMs: 10_000, now: () => clock.t },
      onFetch: (e) => events.push(e),
    });
    for (let i = 0; i < 3; i++) {
      const r = await router.execute('firm', entities(['flaky', 'a']), {});
      expect(r.errors?.[0]?.extensions).toEqual({ code: 'FIRM_UNAVAILABLE', firmId: 'flaky' });
    }
    expect(flaky.received).toHaveLength(3);
    expect(router.stats.circuits.get('flaky')).toMatchObject({ state: 'open', consecutiveFailures: 3, retryAt: clock.t + 10_000, opened: 1 });

    const skipped = await router.execute('firm', entities(['flaky', 'a', 'flaky']), {});
    expect(flaky.received).toHaveLength(3); // not sent
    expect(skipped.data?.['_entities']).toEqual([null, expect.objectContaining({ name: 'a1' }), null]);
    expect(skipped.errors).toEqual([0, 2].map((i) => ({
      message: 'firm flaky is skipped after 3 consecutive failures (circuit open); it will be retried at 2030-01-01T00:00:10.000Z',
      path: ['_entities', i],
      extensions: { code: 'FIRM_CIRCUIT_OPEN', firmId: 'flaky' },
    })));
    expect(events.at(-2)).toMatchObject({ owner: 'flaky', outcome: 'FIRM_CIRCUIT_OPEN', sent: false, ms: 0 });
    expect(router.stats.outcomes.get('flaky')).toEqual(new Map([['FIRM_UNAVAILABLE', 3], ['FIRM_CIRCUIT_OPEN', 1]]));
    expect(router.stats.byOwner.get('flaky')).toBe(3);
    expect(router.stats.circuits.get('a')).toMatchObject({ state: 'closed', rejected: 0 });

    // After the cool-down the firm is back: the next call is the probe, and it closes the circuit.
    mode.now = 'up';
    clock.t += 10_000;
    expect(router.stats.circuits.get('flaky')?.state).toBe('half-open');
    const probed = await router.execute('firm', entities(['flaky']), {});
    expect(probed.errors).toBeUndefined();
    expect(flaky.received).toHaveLength(4);
    expect(router.stats.circuits.get('flaky')).toMatchObject({ state: 'closed', consecutiveFailures: 0, rejected: 1 });
  });

  it('lets one probe through while the others are still skipped; a failed probe opens it again', async () => {
    const { server: slowFirm, mode } = await switchableFirm();
    mode.now = 'down';
    const clock = { t: 0 };
    const router = new OwnerRouter({
      endpointOf: () => slowFirm.url,
      timeoutMs: 300,
      circuitBreaker: { failureThreshold: 1, cooldownMs: 1_000, now: () => clock.t },
    });
    await router.execute('firm', entities(['s']), {});
    clock.t = 1_000;
    mode.now = 'slow';
    const [probe, other] = await Promise.all([router.execute('firm', entities(['s']), {}), router.execute('firm', entities(['s']), {})]);
    expect(probe.errors?.[0]?.extensions?.['code']).toBe('FIRM_TIMEOUT');
    expect(other.errors?.[0]?.extensions?.['code']).toBe('FIRM_CIRCUIT_OPEN');
    expect(other.errors?.[0]?.message).toMatch(/^firm s is skipped \(circuit half-open\): a probe request/);
    expect(slowFirm.received).toHaveLength(2);
    expect(router.stats.circuits.get('s')).toMatchObject({ state: 'open', opened: 2, retryAt: 2_000 });
  });

  it('counts a 4xx answer as the firm being up, and can be switched off', async () => {
    const refusing = await firm(() => ({ status: 401, body: JSON.stringify({ errors: [{ message: 'no', extensions: { code: 'UNAUTHENTICATED' } }] }) }));
    const router = new OwnerRouter({ endpointOf: () => refusing.url, circuitBreaker: { failureThreshold: 1 } });
    for (let i = 0; i < 3; i++) await router.execute('firm', entities(['r']), {});
    expect(refusing.received).toHaveLength(3);
    expect(router.stats.circuits.get('r')?.state).toBe('closed');

    const dead = await startFakeFirmServer(() => ({ body: '{}' }));
    await dead.close();
    const off = new OwnerRouter({ endpointOf: () => dead.url, circuitBreaker: false });
    for (let i = 0; i < 8; i++) {
      const r = await off.execute('firm', entities(['d']), {});
      expect(r.errors?.[0]?.extensions?.['code']).toBe('FIRM_UNAVAILABLE');
    }
    expect(off.stats.requests).toBe(8);
    expect(off.stats.circuits.size).toBe(0);
  });

  it('refuses bad breaker options at construction, naming them', () => {
    expect(() => new OwnerRouter({ endpointOf: () => undefined, circuitBreaker: { cooldownMs: 0 } })).toThrow(/cooldownMs/);
  });
});

describe('OwnerRouter request deadline', () => {
  it('cuts every pending fetch short when the deadline passes, keeping the answers that came in time', async () => {
    const a = await firm();
    const slow = await firm((r) => ({ body: echoEntities(r), delayMs: 3_000 }));
    const clock = { t: 0 };
    const events: OwnerFetchEvent[] = [];
    const router = new OwnerRouter({
      endpointOf: (id) => ({ a: a.url, slow: slow.url })[id],
      timeoutMs: 5_000,
      circuitBreaker: { failureThreshold: 1, now: () => clock.t },
      onFetch: (e) => events.push(e),
    });
    const started = performance.now();
    const r = await router.execute('firm', entities(['slow', 'a']), {}, { signal: AbortSignal.timeout(300) });
    expect(performance.now() - started).toBeLessThan(300 + 250);
    expect(r.data?.['_entities']).toEqual([null, expect.objectContaining({ name: 'a1' })]);
    expect(r.errors).toEqual([
      { message: "firm slow did not answer before the request's deadline", path: ['_entities', 0], extensions: { code: 'REQUEST_TIMEOUT', firmId: 'slow' } },
    ]);
    expect(events.find((e) => e.owner === 'slow')).toMatchObject({ outcome: 'REQUEST_TIMEOUT', sent: true });
    // The deadline is the client's, not the firm's fault: its circuit stays closed.
    expect(router.stats.circuits.get('slow')?.state).toBe('closed');
  });

  it('sends nothing once the deadline has passed', async () => {
    const a = await firm();
    const router = routerFor(a.url);
    const r = await router.execute('links', entities(['a']), {}, { signal: AbortSignal.abort() });
    expect(a.received).toHaveLength(0);
    expect(r.errors).toEqual([
      { message: "firm a was not asked: the request's deadline had passed", path: ['_entities', 0], extensions: { code: 'REQUEST_TIMEOUT', firmId: 'a' } },
    ]);
  });

  it('a probe cut short by the deadline frees the way for the next probe', async () => {
    const { server, mode } = await switchableFirm();
    mode.now = 'down';
    const clock = { t: 0 };
    const router = new OwnerRouter({ endpointOf: () => server.url, circuitBreaker: { failureThreshold: 1, cooldownMs: 100, now: () => clock.t } });
    await router.execute('firm', entities(['f']), {});
    clock.t = 100;
    mode.now = 'slow';
    const cut = await router.execute('firm', entities(['f']), {}, { signal: AbortSignal.timeout(100) });
    expect(cut.errors?.[0]?.extensions?.['code']).toBe('REQUEST_TIMEOUT');
    mode.now = 'up';
    const next = await router.execute('firm', entities(['f']), {});
    expect(next.errors).toBeUndefined();
    expect(router.stats.circuits.get('f')?.state).toBe('closed');
  });
});

function routerFor(url: string): OwnerRouter {
  return new OwnerRouter({ endpointOf: () => url });
}
