import { readFileSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { request } from 'node:https';
import { fileURLToPath } from 'node:url';

/** The committed test certificates (test/fixtures/tls/README.md): a test CA, and a server certificate it signed for 127.0.0.1 and localhost. */
export const TEST_TLS = {
  caFile: fileURLToPath(new URL('../fixtures/tls/ca.crt', import.meta.url)),
  certFile: fileURLToPath(new URL('../fixtures/tls/server.crt', import.meta.url)),
  keyFile: fileURLToPath(new URL('../fixtures/tls/server.key', import.meta.url)),
};

/** The test CA and the server certificate and key, as PEM text. */
export function testTls(): { ca: string; cert: string; key: string } {
  return { ca: readFileSync(TEST_TLS.caFile, 'utf8'), cert: readFileSync(TEST_TLS.certFile, 'utf8'), key: readFileSync(TEST_TLS.keyFile, 'utf8') };
}

/** An HTTPS answer. */
export interface HttpsAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/**
 * One HTTPS request that trusts `ca` (the test process cannot set NODE_EXTRA_CA_CERTS for its
 * own global fetch: Node reads it once, at start).
 * @example const r = await httpsRequest(`${url}/health`, { ca });
 */
export function httpsRequest(url: string, options: { ca: string; method?: string; headers?: Record<string, string>; body?: string }): Promise<HttpsAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers, ca: options.ca, agent: false, timeout: 10_000 }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${url}: no answer within 10 s`)));
    req.on('error', reject);
    req.end(options.body);
  });
}
