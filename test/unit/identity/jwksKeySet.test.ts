import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { algorithmOf, JwksKeySet, type JwksKey } from '../../../identity/jwksKeySet.js';

function esKey(kid: string | undefined): JwksKey {
  return { kid, alg: 'ES256', key: generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey };
}

/** A provider whose JWKS the test changes, or takes down; counts its fetches. */
function provider(initial: JwksKey[]) {
  const state = { keys: initial, down: false, fetches: 0 };
  const fetch = async (): Promise<JwksKey[]> => {
    state.fetches += 1;
    if (state.down) throw new Error('connect ECONNREFUSED');
    return state.keys;
  };
  return { state, fetch };
}

function keySet(fetch: () => Promise<JwksKey[]>, clock: { now: number }, logged: string[] = []) {
  return new JwksKeySet({ uri: 'http://idp.test/jwks', cacheSeconds: 60, maxStaleSeconds: 120, minRefreshSeconds: 10 }, { fetch, now: () => clock.now, log: (l) => logged.push(l) });
}

describe('an identity provider key set', () => {
  it('fetches once, then answers from the copy until cacheSeconds pass', async () => {
    const a = esKey('a');
    const p = provider([a]);
    const clock = { now: 0 };
    const set = keySet(p.fetch, clock);
    expect(await set.lookup('a')).toMatchObject({ ok: true, keys: [a] });
    clock.now = 59_000;
    expect(await set.lookup('a')).toMatchObject({ ok: true });
    expect(p.state.fetches).toBe(1);
    clock.now = 60_000;
    expect(await set.lookup('a')).toMatchObject({ ok: true });
    expect(p.state.fetches).toBe(2);
  });

  it('a rotated-in kid is fetched at once; a removed one is refused from that fetch on', async () => {
    const a = esKey('a');
    const b = esKey('b');
    const p = provider([a]);
    const clock = { now: 0 };
    const set = keySet(p.fetch, clock);
    const first = await set.lookup('a');
    p.state.keys = [b];
    clock.now = 10_000;
    const rotated = await set.lookup('b');
    expect(rotated).toMatchObject({ ok: true, keys: [b] });
    expect(p.state.fetches).toBe(2);
    expect(await set.lookup('a')).toMatchObject({ ok: false, reason: 'unknown-kid' });
    // The set changed: its generation too (remembered tokens of the old set are not reused).
    expect(first.ok && rotated.ok && first.generation !== rotated.generation).toBe(true);
  });

  it('fetches for unknown kids at most once per minRefreshSeconds (a flood of made-up kids costs one fetch)', async () => {
    const p = provider([esKey('a')]);
    const clock = { now: 0 };
    const set = keySet(p.fetch, clock);
    await set.lookup('a');
    clock.now = 10_000;
    for (let i = 0; i < 50; i += 1) expect(await set.lookup(`forged-${i}`)).toMatchObject({ ok: false, reason: 'unknown-kid' });
    expect(p.state.fetches).toBe(2);
    clock.now = 20_000;
    await set.lookup('forged-again');
    expect(p.state.fetches).toBe(3);
  });

  it('shares one fetch among concurrent lookups', async () => {
    const p = provider([esKey('a')]);
    const set = keySet(p.fetch, { now: 0 });
    await Promise.all([set.lookup('a'), set.lookup('a'), set.lookup('a')]);
    expect(p.state.fetches).toBe(1);
  });

  it('endpoint down: the last good keys for cacheSeconds + maxStaleSeconds after their fetch, then unavailable; logged once', async () => {
    const a = esKey('a');
    const p = provider([a]);
    const clock = { now: 0 };
    const logged: string[] = [];
    const set = keySet(p.fetch, clock, logged);
    await set.lookup('a');
    p.state.down = true;
    clock.now = 61_000;
    expect(await set.lookup('a')).toMatchObject({ ok: true, keys: [a] });
    expect(p.state.fetches).toBe(2);
    clock.now = 179_999;
    expect(await set.lookup('a')).toMatchObject({ ok: true });
    // A kid never seen while the endpoint fails cannot be checked: unavailable, not invalid.
    expect(await set.lookup('new')).toMatchObject({ ok: false, reason: 'unavailable' });
    clock.now = 180_000;
    expect(await set.lookup('a')).toMatchObject({ ok: false, reason: 'unavailable', message: expect.stringContaining('180 s old') });
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain('ECONNREFUSED');
    // Back up: the next allowed fetch restores it.
    p.state.down = false;
    clock.now = 190_000;
    expect(await set.lookup('a')).toMatchObject({ ok: true });
    expect(logged[1]).toContain('fetched again');
  });

  it('never fetched and the endpoint down: unavailable, retried no more than once per minRefreshSeconds', async () => {
    const p = provider([]);
    p.state.down = true;
    const clock = { now: 0 };
    const set = keySet(p.fetch, clock);
    expect(await set.lookup('a')).toMatchObject({ ok: false, reason: 'unavailable', message: expect.stringContaining('no key set was fetched yet') });
    expect(await set.lookup('a')).toMatchObject({ ok: false, reason: 'unavailable' });
    expect(p.state.fetches).toBe(1);
  });

  it('a token without kid gets every key of the set', async () => {
    const keys = [esKey('a'), esKey(undefined)];
    const set = keySet(provider(keys).fetch, { now: 0 });
    expect(await set.lookup(undefined)).toMatchObject({ ok: true, keys });
  });

  it('knows the algorithm of RSA (2048 bits or more) and P-256 keys only', () => {
    const rsa = (bits: number): KeyObject => generateKeyPairSync('rsa', { modulusLength: bits }).publicKey;
    expect(algorithmOf(rsa(2048))).toBe('RS256');
    expect(algorithmOf(rsa(1024))).toBeUndefined();
    expect(algorithmOf(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey)).toBe('ES256');
    expect(algorithmOf(generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey)).toBeUndefined();
    expect(algorithmOf(generateKeyPairSync('ed25519').publicKey)).toBeUndefined();
  });
});
