import { buildSubgraphSchema } from '@apollo/subgraph';
import { buildSchema, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError } from '../../../config/configError.js';
import { validateConfig } from '../../../config/loadConfigFile.js';
import { gatewayConfigSchema } from '../../../gateway/gatewayConfig.js';
import { startGateway } from '../../../gateway/startGateway.js';
import { checkListSizes, DEFAULT_LIST_SIZES, GATEWAY_LIMITS, limitsSchema, listSizeProblems, resolveLimits, SUBGRAPH_LIMITS } from '../../../limits/limitsConfig.js';
import { readSupergraph, subgraphSdl } from '../../../schema/supergraph.js';
import { firmConfigSchema } from '../../../subgraphs/firm/firmConfig.js';
import { startFirmSubgraph } from '../../../subgraphs/firm/startFirmSubgraph.js';
import { registryConfigSchema } from '../../../subgraphs/registry/registryConfig.js';
import { startRegistry } from '../../../subgraphs/registry/startRegistry.js';

const gateway = { gatewayId: 'main', listen: { port: 4000 }, registryUrl: 'http://127.0.0.1:4001', privateKeyFile: 'k.pem', operatorPublicKeyFiles: ['operator.pub.pem'] };
const firm = { firmId: 'structura', listen: { port: 4103 }, policyFile: 'p.yaml', registryUrl: 'http://127.0.0.1:4001', serviceKeyFile: 'k.pem', operatorPublicKeyFiles: ['operator.pub.pem'] };

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
      listSizes: { 'Lot.components': 4, 'Part.bom': 4, 'Lot.inspections': 5, 'Shipment.lots': 5, 'Part.inventory': 5 },
      rateLimit: { requestsPerSecond: 50, burst: 100 },
    });
    expect(GATEWAY_LIMITS.listSizes).toBe(DEFAULT_LIST_SIZES);
  });

  it("keeps every subgraph limit at or above the gateway's, so that the gateway's fetches pass", () => {
    for (const key of ['maxDepth', 'maxAliases', 'maxRootFields', 'maxTokens', 'maxBodyBytes', 'maxCost'] as const) {
      expect(SUBGRAPH_LIMITS[key], key).toBeGreaterThanOrEqual(GATEWAY_LIMITS[key]);
    }
    expect(SUBGRAPH_LIMITS.assumedListSize).toBe(GATEWAY_LIMITS.assumedListSize);
    // an _entities fetch selects the same `Lot.components` the gateway sized
    expect(SUBGRAPH_LIMITS.listSizes).toEqual(GATEWAY_LIMITS.listSizes);
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

  it('merges listSizes entries over the defaults, key by key', () => {
    const config = validateConfig('gateway.yaml', { ...gateway, limits: { listSizes: { 'Lot.components': 6, 'Query.firms': 30 } } }, gatewayConfigSchema);
    expect(config.limits.listSizes).toEqual({ ...DEFAULT_LIST_SIZES, 'Lot.components': 6, 'Query.firms': 30 });
    expect(config.limits.assumedListSize).toBe(10);
    expect(validateConfig('firm.yaml', { ...firm, limits: { listSizes: {} } }, firmConfigSchema).limits.listSizes).toEqual(DEFAULT_LIST_SIZES);
    expect(validateConfig('firm.yaml', { ...firm, limits: { maxDepth: 9 } }, firmConfigSchema).limits.listSizes).toEqual(DEFAULT_LIST_SIZES);
    expect(resolveLimits({ listSizes: { 'Part.bom': 0 } }, SUBGRAPH_LIMITS).listSizes).toEqual({ ...DEFAULT_LIST_SIZES, 'Part.bom': 0 });
  });

  it('stops on a listSizes key that is not Type.field, or a size that is no integer >= 0, naming the key', () => {
    const value = configError(() => validateConfig('gateway.yaml', { ...gateway, limits: { listSizes: { 'Lot.components': -1 } } }, gatewayConfigSchema));
    expect(value.code).toBe('CONFIG_INVALID');
    expect(value.key).toBe('limits.listSizes.Lot.components');
    expect(value.message).toBe('config file gateway.yaml, key limits.listSizes.Lot.components: expected an integer from 0 to 100000');
    const fraction = configError(() => validateConfig('firm.yaml', { ...firm, limits: { listSizes: { 'Part.bom': 2.5 } } }, firmConfigSchema));
    expect(fraction.key).toBe('limits.listSizes.Part.bom');
    const text = configError(() => validateConfig('firm.yaml', { ...firm, limits: { listSizes: { 'Part.bom': '4' } } }, firmConfigSchema));
    expect(text.key).toBe('limits.listSizes.Part.bom');
    const keys = configError(() => validateConfig('gateway.yaml', { ...gateway, limits: { listSizes: { Lot: 4, 'Lot.components.component': 4, 'lot-x.y': 1 } } }, gatewayConfigSchema));
    expect(keys.problems.map((p) => p.key)).toEqual(['limits.listSizes.Lot', 'limits.listSizes.Lot.components.component', 'limits.listSizes.lot-x.y']);
    expect(keys.problems.every((p) => p.message === 'expected a key Type.field, e.g. Lot.components')).toBe(true);
    const registry = configError(() =>
      validateConfig('cluster.yaml', { clusterId: 'c', listen: { port: 4001 }, members: [], gateways: [], limits: { listSizes: { '.x': 1 } } }, registryConfigSchema),
    );
    expect(registry.problems.map((p) => p.key)).toContain('limits.listSizes[""].x');
  });

  it('checks listSizes keys against a schema: an unknown type or field, or a field that is no list, is CONFIG_INVALID', () => {
    const api = buildSchema(readSupergraph(), { assumeValidSDL: true });
    expect(listSizeProblems({ ...DEFAULT_LIST_SIZES, 'Query.firms': 30, 'Firm.suppliers': 8 }, [api])).toEqual([]);
    expect(listSizeProblems({ 'Lott.components': 4, 'Lot.component': 4, 'Lot.part': 1, 'Query.firm': 1, 'LotStatus.RELEASED': 1 }, [api])).toEqual([
      { key: 'limits.listSizes.Lott.components', message: 'no object type Lott in the schema' },
      { key: 'limits.listSizes.Lot.component', message: 'Lot has no field component' },
      { key: 'limits.listSizes.Lot.part', message: 'Lot.part is not a list (Part)' },
      { key: 'limits.listSizes.Query.firm', message: 'Query.firm is not a list (Firm)' },
      { key: 'limits.listSizes.LotStatus.RELEASED', message: 'no object type LotStatus in the schema' },
    ]);
    const error = configError(() => checkListSizes({ listSizes: { ...DEFAULT_LIST_SIZES, 'Lot.component': 4 } }, [api], 'gateway.yaml'));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.key).toBe('limits.listSizes.Lot.component');
    expect(error.message).toBe('config file gateway.yaml, key limits.listSizes.Lot.component: Lot has no field component');
  });

  it("finds the defaults in the gateway's supergraph and in a firm's subgraph schemas, a key in either of them", () => {
    const api = buildSchema(readSupergraph(), { assumeValidSDL: true });
    const [firmSchema, links] = (['firm', 'links'] as const).map((name) => buildSubgraphSchema([{ typeDefs: parse(subgraphSdl(name)) }]));
    if (!firmSchema || !links) throw new Error('schemas');
    expect(listSizeProblems(DEFAULT_LIST_SIZES, [api])).toEqual([]);
    expect(listSizeProblems(DEFAULT_LIST_SIZES, [firmSchema, links])).toEqual([]);
    // `links` has a key-only Lot: its components are the firm schema's
    expect(listSizeProblems({ 'Lot.components': 4 }, [links]).map((p) => p.message)).toEqual(['Lot has no field components']);
    // the registry's fields are not a firm's
    expect(listSizeProblems({ 'Firm.suppliers': 8 }, [firmSchema, links]).map((p) => p.key)).toEqual(['limits.listSizes.Firm.suppliers']);
  });

  it('stops the gateway, a firm and the registry at start on a listSizes key their schema lacks, before anything starts', async () => {
    const gatewayStart = startGateway({
      registryUrl: 'http://127.0.0.1:9',
      directory: undefined as never,
      gatewayId: 'main',
      privateKeyPem: '',
      limits: { listSizes: { 'Lot.parts': 4 } },
      configFile: 'gateway.yaml',
    });
    await expect(gatewayStart).rejects.toMatchObject({ code: 'CONFIG_INVALID', key: 'limits.listSizes.Lot.parts', file: 'gateway.yaml' });
    await expect(gatewayStart).rejects.toBeInstanceOf(ConfigError);
    const firmStart = startFirmSubgraph({ firmId: 'structura', database: undefined as never, policy: undefined as never, directory: undefined as never, limits: { listSizes: { 'Firm.suppliers': 8 } } });
    await expect(firmStart).rejects.toMatchObject({ code: 'CONFIG_INVALID', key: 'limits.listSizes.Firm.suppliers', file: 'startFirmSubgraph options' });
    // the registry checks against the whole supergraph: the subgraph defaults name the firms' Lot
    const registryStart = startRegistry({ source: undefined as never, operatorPrivateKeyPem: '', limits: { listSizes: { 'Firm.supplier': 8 } } });
    await expect(registryStart).rejects.toMatchObject({ code: 'CONFIG_INVALID', key: 'limits.listSizes.Firm.supplier' });
  });

  it('resolves code overrides over a set of defaults', () => {
    expect(resolveLimits(undefined, SUBGRAPH_LIMITS)).toEqual(SUBGRAPH_LIMITS);
    expect(resolveLimits({ maxCost: 5, rateLimit: { requestsPerSecond: 1 } }, GATEWAY_LIMITS)).toMatchObject({ maxCost: 5, rateLimit: { requestsPerSecond: 1, burst: 100 } });
    expect(() => resolveLimits({ maxTokens: -1 }, GATEWAY_LIMITS)).toThrow();
    expect(z.object({ limits: limitsSchema(GATEWAY_LIMITS) }).parse({}).limits.maxTokens).toBe(5000);
  });
});
