/** GET /metrics behind a scrape credential, a separate listener, or local callers only (http/metricsEndpoint.ts); /health stays open. */
import { afterEach, describe, expect, it } from 'vitest';
import { Metrics } from '../../../http/metrics.js';
import { isLoopback, sameSecret, scrapeRefusal } from '../../../http/metricsEndpoint.js';
import { startHttpServer, type HttpServerOptions, type RunningHttpServer } from '../../../http/startHttpServer.js';
import { httpsRequest, testTls } from '../../harness/httpsRequest.js';

const TOKEN = 'scrape-4f9c2e7a1b6d3e8f';
const from = (remoteAddress: string, headers: Record<string, string> = {}) => ({ headers, socket: { remoteAddress } });

describe('scrapeRefusal', () => {
  it('nothing configured: local callers only, and none a proxy forwarded', () => {
    for (const address of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1']) expect(scrapeRefusal(from(address), undefined)).toBeUndefined();
    for (const address of ['10.0.0.5', '192.168.1.2', '::ffff:10.0.0.5', 'fe80::1']) expect(scrapeRefusal(from(address), undefined)?.status).toBe(403);
    for (const header of ['forwarded', 'x-forwarded-for', 'x-real-ip']) {
      expect(scrapeRefusal(from('127.0.0.1', { [header]: '203.0.113.9' }), undefined)).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    }
  });

  it('a token configured: the bearer token, from anywhere; else 401 with www-authenticate', () => {
    const endpoint = { token: TOKEN };
    expect(scrapeRefusal(from('10.0.0.5', { authorization: `Bearer ${TOKEN}` }), endpoint)).toBeUndefined();
    for (const authorization of [undefined, `Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(1)}`, `Basic ${TOKEN}`, 'Bearer ']) {
      const refusal = scrapeRefusal(from('127.0.0.1', authorization === undefined ? {} : { authorization }), endpoint);
      expect(refusal).toMatchObject({ status: 401, code: 'UNAUTHENTICATED', headers: { 'www-authenticate': 'Bearer realm="metrics"' } });
    }
  });

  it('a separate listener without a token: whoever reaches it', () => {
    expect(scrapeRefusal(from('10.0.0.5'), { listen: { port: 0 } })).toBeUndefined();
  });

  it('compares secrets whole, whatever their lengths', () => {
    expect(sameSecret(TOKEN, TOKEN)).toBe(true);
    expect(sameSecret(TOKEN, `${TOKEN} `)).toBe(false);
    expect(sameSecret('', TOKEN)).toBe(false);
    expect(isLoopback(undefined)).toBe(false);
  });
});

describe('GET /metrics of a real server', () => {
  const running: RunningHttpServer[] = [];
  const start = async (options: Partial<HttpServerOptions>): Promise<RunningHttpServer> => {
    const metrics = new Metrics({ service: 'test' });
    metrics.inc('dataspace_test_total', 3);
    const server = await startHttpServer({ service: 'test', routes: [], metrics, ...options });
    running.push(server);
    return server;
  };
  afterEach(async () => {
    await Promise.all(running.splice(0).map((s) => s.close()));
  });
  const get = async (url: string, headers: Record<string, string> = {}): Promise<[number, string]> => {
    const res = await fetch(url, { headers });
    return [res.status, await res.text()];
  };

  it('serves a local caller when nothing is configured; /health stays open', async () => {
    const server = await start({});
    expect(await get(`${server.url}/metrics`)).toEqual([200, 'dataspace_test_total{service="test"} 3\n']);
    const [status, body] = await get(`${server.url}/metrics`, { 'x-forwarded-for': '203.0.113.9' });
    expect([status, JSON.parse(body)]).toEqual([403, { errors: [{ message: expect.stringMatching(/local callers only/), extensions: { code: 'FORBIDDEN' } }] }]);
    expect((await get(`${server.url}/health`))[0]).toBe(200);
  });

  it('with a scrape credential: 401 without it or with another, the counters with it', async () => {
    const server = await start({ metricsEndpoint: { token: TOKEN } });
    const res = await fetch(`${server.url}/metrics`);
    expect([res.status, res.headers.get('www-authenticate')]).toEqual([401, 'Bearer realm="metrics"']);
    expect((await get(`${server.url}/metrics`, { authorization: 'Bearer another-token-of-some-length' }))[0]).toBe(401);
    expect(await get(`${server.url}/metrics`, { authorization: `Bearer ${TOKEN}` })).toEqual([200, 'dataspace_test_total{service="test"} 3\n']);
    expect((await get(`${server.url}/health`))[0]).toBe(200);
  });

  it('on a separate listener: not on the server port; with TLS, over https with the credential', async () => {
    const { ca, cert, key } = testTls();
    const server = await start({ tls: { cert, key }, metricsEndpoint: { token: TOKEN, listen: { host: '127.0.0.1', port: 0 } } });
    expect(server.metricsUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(server.metricsUrl).not.toBe(server.url);
    expect((await httpsRequest(`${server.url}/metrics`, { ca, headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(404);
    expect((await httpsRequest(`${server.metricsUrl ?? ''}/metrics`, { ca })).status).toBe(401);
    const scraped = await httpsRequest(`${server.metricsUrl ?? ''}/metrics`, { ca, headers: { authorization: `Bearer ${TOKEN}` } });
    expect([scraped.status, scraped.text]).toEqual([200, 'dataspace_test_total{service="test"} 3\n']);
    expect((await httpsRequest(`${server.metricsUrl ?? ''}/health`, { ca })).status).toBe(404);
  });

  it('refuses a /metrics handler passed as a plain GET route, which nothing would guard', async () => {
    await expect(startHttpServer({ service: 'test', routes: [], get: { '/metrics': () => undefined } })).rejects.toThrow(/metrics option/);
  });
});
