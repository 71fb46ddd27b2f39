/** The `tls` and `metrics` keys of every server's file: read relative to the file, checked at start, ConfigErrors naming the file and the key. */
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../config/configError.js';
import { loadConfigFile } from '../../../config/loadConfigFile.js';
import { checkExtraCaCerts, readServerSecurity } from '../../../config/readServerSecurity.js';
import { gatewayConfigSchema } from '../../../gateway/gatewayConfig.js';
import { ownerRouterConfigSchema } from '../../../router/ownerRouterConfig.js';
import { firmConfigSchema } from '../../../subgraphs/firm/firmConfig.js';
import { registryConfigSchema } from '../../../subgraphs/registry/registryConfig.js';
import { TEST_TLS, testTls } from '../../harness/httpsRequest.js';

const dir = mkdtempSync(join(tmpdir(), 'dataspace-security-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
copyFileSync(TEST_TLS.certFile, join(dir, 'server.crt'));
copyFileSync(TEST_TLS.keyFile, join(dir, 'server.key'));
copyFileSync(TEST_TLS.caFile, join(dir, 'ca.crt'));
const configFile = join(dir, 'gateway.yaml');
const TOKEN = 'c0ffee'.repeat(8);
writeFileSync(join(dir, 'metrics.token'), `${TOKEN}\n`);
writeFileSync(join(dir, 'short.token'), 'secret\n');

function failure(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('readServerSecurity', () => {
  it('reads the certificate, the key and the scrape token relative to the configuration file', () => {
    const security = readServerSecurity(configFile, {
      tls: { certFile: 'server.crt', keyFile: './server.key' },
      metrics: { tokenFile: 'metrics.token', listen: { host: '127.0.0.1', port: 9464 } },
    });
    const { cert, key } = testTls();
    expect(security).toEqual({ tls: { cert, key }, metricsEndpoint: { token: TOKEN, listen: { host: '127.0.0.1', port: 9464 } } });
    expect(readServerSecurity(configFile, {})).toEqual({});
  });

  it('names the file and the key of a file that cannot be read or is not what the key says', () => {
    const missing = failure(() => readServerSecurity(configFile, { tls: { certFile: 'nope.crt', keyFile: 'server.key' } }));
    expect([missing.file, missing.key]).toEqual([configFile, 'tls.certFile']);
    expect(missing.message).toContain(join(dir, 'nope.crt'));
    const swapped = failure(() => readServerSecurity(configFile, { tls: { certFile: 'server.key', keyFile: 'server.crt' } }));
    expect([swapped.key, swapped.message]).toEqual(['tls.certFile', `config file ${configFile}, key tls.certFile: server.key is not a PEM certificate`]);
    const notKey = failure(() => readServerSecurity(configFile, { tls: { certFile: 'server.crt', keyFile: 'ca.crt' } }));
    expect([notKey.key, notKey.message]).toEqual(['tls.keyFile', `config file ${configFile}, key tls.keyFile: ca.crt is not a PEM private key`]);
    const token = failure(() => readServerSecurity(configFile, { metrics: { tokenFile: 'short.token' } }));
    expect([token.key, token.message]).toEqual(['metrics.tokenFile', expect.stringMatching(/at least 32 visible ASCII characters/)]);
    expect(failure(() => readServerSecurity(configFile, { metrics: { tokenFile: 'gone.token' } })).key).toBe('metrics.tokenFile');
  });
});

describe('the tls and metrics keys of each server file', () => {
  const common = { listen: { port: 0 }, registryUrl: 'https://127.0.0.1:4001', operatorPublicKeyFiles: ['operator.pub.pem'] };
  const write = (name: string, value: unknown): string => {
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify(value));
    return path;
  };

  it('are accepted by the gateway, the owner router and the firm (tls and metrics) and the registry (tls)', () => {
    const security = { tls: { certFile: 'server.crt', keyFile: 'server.key' }, metrics: { tokenFile: 'metrics.token', listen: { port: 9464 } } };
    const gateway = loadConfigFile(write('g.json', { ...common, gatewayId: 'main', privateKeyFile: 'k.pem', ...security }), gatewayConfigSchema);
    expect([gateway.tls, gateway.metrics]).toEqual([security.tls, { tokenFile: 'metrics.token', listen: { host: '127.0.0.1', port: 9464 } }]);
    const router = loadConfigFile(write('r.json', { ...common, gatewayId: 'peer', privateKeyFile: 'k.pem', ...security }), ownerRouterConfigSchema);
    expect(router.tls).toEqual(security.tls);
    const firmShape = firmConfigSchema.shape;
    expect(firmShape.tls.safeParse(security.tls).success && firmShape.metrics.safeParse(security.metrics).success).toBe(true);
    // The registry serves no /metrics: it takes tls only.
    expect(registryConfigSchema.shape.tls.safeParse(security.tls).success).toBe(true);
    expect(Object.keys(registryConfigSchema.shape)).not.toContain('metrics');
  });

  it('refuse an unknown key inside tls or metrics, naming it', () => {
    const bad = failure(() => loadConfigFile(write('b.json', { ...common, gatewayId: 'main', privateKeyFile: 'k.pem', tls: { certFile: 'a', keyFile: 'b', caFile: 'c' } }), gatewayConfigSchema));
    expect(bad.key).toBe('tls.caFile');
    const metrics = failure(() => loadConfigFile(write('m.json', { ...common, gatewayId: 'main', privateKeyFile: 'k.pem', metrics: { token: 'x' } }), gatewayConfigSchema));
    expect(metrics.key).toBe('metrics.token');
  });
});

describe('checkExtraCaCerts', () => {
  it('takes an unset variable or a file of certificates', () => {
    expect(() => checkExtraCaCerts({})).not.toThrow();
    expect(() => checkExtraCaCerts({ NODE_EXTRA_CA_CERTS: join(dir, 'ca.crt') })).not.toThrow();
  });

  it('stops on a file Node would ignore with a warning', () => {
    const missing = failure(() => checkExtraCaCerts({ NODE_EXTRA_CA_CERTS: join(dir, 'missing.crt') }));
    expect(missing.message).toBe(`environment variable NODE_EXTRA_CA_CERTS: cannot read ${join(dir, 'missing.crt')}`);
    expect(failure(() => checkExtraCaCerts({ NODE_EXTRA_CA_CERTS: join(dir, 'server.key') })).message).toMatch(/holds no PEM certificate/);
  });
});
