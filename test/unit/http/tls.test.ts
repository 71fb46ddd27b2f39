/** Every server can listen with TLS (http/startHttpServer.ts, `tls`): real servers on port 0 with the committed test certificates. */
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBody, startHttpServer, type GraphQLRoute, type RunningHttpServer } from '../../../http/startHttpServer.js';
import { tlsCredentialsProblem } from '../../../http/tlsCredentials.js';
import { httpsRequest, testTls } from '../../harness/httpsRequest.js';
import { postRequest, rawHttpClient } from '../../harness/rawHttpClient.js';

const { ca, cert, key } = testTls();
const echo: GraphQLRoute = {
  path: '/echo',
  handle: async (req, res, _search, max) => {
    const text = await readBody(req, max);
    res.end(JSON.stringify({ length: text.length }));
  },
};

describe('a server listening with TLS', () => {
  let server: RunningHttpServer;
  beforeAll(async () => {
    server = await startHttpServer({ service: 'test', routes: [echo], tls: { cert, key }, maxBodyBytes: 1024 * 1024 });
  });
  afterAll(async () => server?.close());

  it('reports an https:// URL and answers a client that trusts the test CA', async () => {
    expect(server.url).toBe(`https://127.0.0.1:${server.port}`);
    const health = await httpsRequest(`${server.url}/health`, { ca });
    expect([health.status, (JSON.parse(health.text) as { status: string }).status]).toEqual([200, 'ok']);
    const localhost = await httpsRequest(`https://localhost:${server.port}/echo`, { ca, method: 'POST', body: '{"a":1}' });
    expect([localhost.status, localhost.text]).toEqual([200, '{"length":7}']);
  });

  it('is refused by a client that does not trust its CA', async () => {
    // This process's fetch has only the public CAs (NODE_EXTRA_CA_CERTS is not set here).
    const error = await fetch(`${server.url}/health`).then(() => undefined, (e: unknown) => e as Error & { cause?: { code?: string } });
    expect(error?.cause?.code).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
  });

  it('answers no plain-HTTP request on its port: the connection fails', async () => {
    const error = await fetch(`http://127.0.0.1:${server.port}/health`).then(() => undefined, (e: unknown) => e as Error);
    expect(error).toBeInstanceOf(TypeError);
    const raw = await rawHttpClient(server.port);
    await expect(raw.exchange('GET /health HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n')).rejects.toThrow();
  });

  it('reads a 413 for a 5 MB body written whole before reading, then serves the next request on the connection', async () => {
    const client = await rawHttpClient(server.port, { ca });
    for (const chunked of [false, true]) {
      const refused = await client.exchange(postRequest('/echo', Buffer.alloc(5 * 1024 * 1024, 'a'), { chunked }));
      expect(refused.status).toBe(413);
      expect(refused.body).toContain('REQUEST_TOO_LARGE');
    }
    const ok = await client.exchange(postRequest('/echo', Buffer.from('{}')));
    expect([ok.status, ok.body]).toEqual([200, '{"length":2}']);
    client.close();
  });
});

describe('tlsCredentialsProblem', () => {
  it('takes the committed pair', () => {
    expect(tlsCredentialsProblem({ cert, key })).toBeUndefined();
  });

  it('names the file at fault: not a certificate, not a key, the wrong key, an expired certificate', () => {
    expect(tlsCredentialsProblem({ cert: key, key })).toEqual({ part: 'cert', message: 'is not a PEM certificate' });
    expect(tlsCredentialsProblem({ cert, key: cert })).toEqual({ part: 'key', message: 'is not a PEM private key' });
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(tlsCredentialsProblem({ cert, key: other })).toEqual({ part: 'key', message: 'is not the private key of the certificate' });
    expect(tlsCredentialsProblem({ cert, key }, new Date('2200-01-01'))?.message).toMatch(/^the certificate expired on 2126-/);
  });
});
