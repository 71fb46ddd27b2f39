import { afterEach, describe, expect, it } from 'vitest';
import { OwnerRouter } from '../../../routing/ownerRouter.js';
import { startFakeFirmServer, type FakeFirmServer } from './fakeFirmServer.js';

const QUERY = 'query($representations:[_Any!]!){_entities(representations:$representations){...on Lot{name}}}';
const entities = { query: QUERY, variables: { representations: [{ __typename: 'Lot', firmId: 'f', lotId: '1' }] } };
const answer = (code: string) => ({ status: 503, body: JSON.stringify({ errors: [{ message: 'x', extensions: { code } }] }) });

const servers: FakeFirmServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe("the circuit breaker and an identity provider's outage", () => {
  it("does not count a firm's 503 ISSUER_KEYS_UNAVAILABLE against it: the users of the other members are still served", async () => {
    const firm = await startFakeFirmServer(() => answer('ISSUER_KEYS_UNAVAILABLE'));
    servers.push(firm);
    const router = new OwnerRouter({ endpointOf: () => firm.url, circuitBreaker: { failureThreshold: 1 } });
    for (let i = 0; i < 3; i++) {
      const r = await router.execute('firm', entities, {});
      expect(r.errors?.[0]?.extensions?.['code']).toBe('ISSUER_KEYS_UNAVAILABLE');
    }
    expect(firm.received).toHaveLength(3);
    expect(router.stats.circuits.get('f')?.state).toBe('closed');
  });

  it("does not count a joining firm's 503 DIRECTORY_UNAVAILABLE against it: it is reached as soon as it is listed", async () => {
    let ready = false;
    const firm = await startFakeFirmServer(() => (ready ? { status: 200, body: JSON.stringify({ data: { _entities: [{ name: 'lot 1' }] } }) } : answer('DIRECTORY_UNAVAILABLE')));
    servers.push(firm);
    const router = new OwnerRouter({ endpointOf: () => firm.url, circuitBreaker: { failureThreshold: 1 } });
    for (let i = 0; i < 3; i++) expect((await router.execute('firm', entities, {})).errors?.[0]?.extensions?.['code']).toBe('DIRECTORY_UNAVAILABLE');
    expect(router.stats.circuits.get('f')?.state).toBe('closed');
    ready = true;
    expect((await router.execute('firm', entities, {})).data).toEqual({ _entities: [{ name: 'lot 1' }] });
  });

  it('still counts any other 503 as the firm failing', async () => {
    const firm = await startFakeFirmServer(() => answer('ACCESS_LOG_UNAVAILABLE'));
    servers.push(firm);
    const router = new OwnerRouter({ endpointOf: () => firm.url, circuitBreaker: { failureThreshold: 1 } });
    await router.execute('firm', entities, {});
    expect(router.stats.circuits.get('f')?.state).toBe('open');
  });
});
