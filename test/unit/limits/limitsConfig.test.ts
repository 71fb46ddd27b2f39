import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError } from '../../../config/configError.js';
import { validateConfig } from '../../../config/loadConfigFile.js';
import { gatewayConfigSchema } from '../../../gateway/gatewayConfig.js';
import { GATEWAY_LIMITS, limitsSchema, resolveLimits, SUBGRAPH_LIMITS } from '../../../limits/limitsConfig.js';
import { firmConfigSchema } from '../../../subgraphs/firm/firmConfig.js';

const gateway = { gatewayId: 'main', listen: { port: 4000 }, registryUrl: 'http://127.0.0.1:4001', privateKeyFile: 'k.pem' };
const firm = { firmId: 'structura', listen: { port: 4103 }, policyFile: 'p.yaml', registryUrl: 'http://127.0.0.1:4001' };

function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('limits configuration', () => {
  it('documents the gateway defaults', () => {
    expect(GATEWAY_LIMITS).toEqual({
      maxDepth: 20,
      maxAliases: 30,
      maxRootFields: 20,
      maxTokens: 5000,
      maxBodyBytes: 1_048_576,
      maxCost: 1_000_000,
      costMode: 'enforce',
      assumedListSize: 10,
      rateLimit: { requestsPerSecond: 50, burst: 100 },
    });
  });

  it("keeps every subgraph limit at or above the gateway's, so that the gateway's fetches pass", () => {
    for (const key of ['maxDepth', 'maxAliases', 'maxRootFields', 'maxTokens', 'maxBodyBytes', 'maxCost'] as const) {
      expect(SUBGRAPH_LIMITS[key], key).toBeGreaterThanOrEqual(GATEWAY_LIMITS[key]);
    }
    expect(SUBGRAPH_LIMITS.assumedListSize).toBe(GATEWAY_LIMITS.assumedListSize);
    const [g, s] = [GATEWAY_LIMITS.rateLimit, SUBGRAPH_LIMITS.rateLimit];
    if (g === false || s === false) throw new Error('rate limits are on by default');
    expect(s.requestsPerSecond).toBeGreaterThanOrEqual(6 * g.requestsPerSecond);
  });

  it('fills the defaults of a gateway and of a firm config without a limits key', () => {
    expect(validateConfig('gateway.yaml', gateway, gatewayConfigSchema).limits).toEqual(GATEWAY_LIMITS);
    expect(validateConfig('firm.yaml', firm, firmConfigSchema).limits).toEqual(SUBGRAPH_LIMITS);
  });

  it('overrides per deployment, key by key, the rate limit too', () => {
    const config = validateConfig('gateway.yaml', { ...gateway, limits: { maxDepth: 8, costMode: 'measure', rateLimit: { burst: 10 } } }, gatewayConfigSchema);
    expect(config.limits).toEqual({ ...GATEWAY_LIMITS, maxDepth: 8, costMode: 'measure', rateLimit: { requestsPerSecond: 50, burst: 10 } });
    expect(validateConfig('firm.yaml', { ...firm, limits: { rateLimit: false } }, firmConfigSchema).limits.rateLimit).toBe(false);
  });

  it('stops on a bad value or an unknown key, naming the file and the key', () => {
    const bad = configError(() => validateConfig('gateway.yaml', { ...gateway, limits: { maxDepth: 0 } }, gatewayConfigSchema));
    expect(bad.message).toMatch(/^config file gateway\.yaml, key limits\.maxDepth: /);
    const mode = configError(() => validateConfig('firm.yaml', { ...firm, limits: { costMode: 'warn' } }, firmConfigSchema));
    expect(mode.key).toBe('limits.costMode');
    const unknown = configError(() => validateConfig('firm.yaml', { ...firm, limits: { maxDepht: 9 } }, firmConfigSchema));
    expect(unknown.message).toContain('limits.maxDepht: unknown key');
    const rate = configError(() => validateConfig('firm.yaml', { ...firm, limits: { rateLimit: { requestsPerSecond: -1 } } }, firmConfigSchema));
    expect(rate.key).toBe('limits.rateLimit.requestsPerSecond');
  });

  it('resolves code overrides over a set of defaults', () => {
    expect(resolveLimits(undefined, SUBGRAPH_LIMITS)).toEqual(SUBGRAPH_LIMITS);
    expect(resolveLimits({ maxCost: 5, rateLimit: { requestsPerSecond: 1 } }, GATEWAY_LIMITS)).toMatchObject({ maxCost: 5, rateLimit: { requestsPerSecond: 1, burst: 100 } });
    expect(() => resolveLimits({ maxTokens: -1 }, GATEWAY_LIMITS)).toThrow();
    expect(z.object({ limits: limitsSchema(GATEWAY_LIMITS) }).parse({}).limits.maxTokens).toBe(5000);
  });
});
