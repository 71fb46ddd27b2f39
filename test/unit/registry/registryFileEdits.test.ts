import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../config/configError.js';
import { validateConfig } from '../../../config/loadConfigFile.js';
import { registryConfigSchema } from '../../../subgraphs/registry/registryConfig.js';
import { listedRegistryFile, withMember, type ListedCluster, type RegistryFileMember } from '../../../subgraphs/registry/registryFileEdits.js';

const member = (id: string, port: number, tier = 1): RegistryFileMember => ({
  id,
  name: `Firm ${id}`,
  role: tier === 0 ? 'lead' : 'partner',
  tier,
  sector: 'parts',
  endpoints: { firm: `http://127.0.0.1:${port}/firm`, links: `http://127.0.0.1:${port}/links` },
  publicKeyFiles: [`keys/${id}.pub.pem`],
  serviceKeyFiles: [`keys/${id}.service.pub.pem`],
});

const listed = (port: number): ListedCluster => ({
  clusterId: 'aero-cluster',
  listen: { host: '127.0.0.1', port: port + 1 },
  operatorPrivateKeyFile: 'keys/operator.key.pem',
  gatewayPublicKeyFile: 'keys/gateway.pub.pem',
  termsFile: '/repo/demo/clusterTerms.yaml',
  members: [member('skyframe', port + 2, 0), member('structura', port + 3)],
  relationships: [{ supplier: 'structura', customer: 'skyframe' }],
});

const read = (text: string) => validateConfig('cluster.yaml', parse(text), registryConfigSchema);

describe('the registry file of a cluster started by code', () => {
  it('is a valid registry file listing the starter members, their keys, the gateway and the terms', () => {
    const config = read(listedRegistryFile('cluster.yaml', undefined, listed(4000)));
    expect(config.listen).toEqual({ host: '127.0.0.1', port: 4001 });
    expect(config.members.map((m) => [m.id, m.endpoints.firm, m.serviceKeyFiles])).toEqual([
      ['skyframe', 'http://127.0.0.1:4002/firm', ['keys/skyframe.service.pub.pem']],
      ['structura', 'http://127.0.0.1:4003/firm', ['keys/structura.service.pub.pem']],
    ]);
    expect(config.gateways).toEqual([{ id: 'main', publicKeyFiles: ['keys/gateway.pub.pem'] }]);
    expect(config.termsFile).toBe('/repo/demo/clusterTerms.yaml');
  });

  it('keeps a member that joined, its relationship and the comments when the starter writes it again on other ports', () => {
    const first = listedRegistryFile('cluster.yaml', undefined, listed(4000));
    const joined = withMember('cluster.yaml', `${first}# the operator's note\n`, member('titanforge', 4009, 2), [{ supplier: 'titanforge', customer: 'structura' }]);
    const again = listedRegistryFile('cluster.yaml', joined, listed(5000));
    const config = read(again);
    expect(config.listen.port).toBe(5001);
    expect(config.members.map((m) => [m.id, m.endpoints.firm])).toEqual([
      ['skyframe', 'http://127.0.0.1:5002/firm'],
      ['structura', 'http://127.0.0.1:5003/firm'],
      ['titanforge', 'http://127.0.0.1:4009/firm'],
    ]);
    expect(config.relationships).toEqual([
      { supplier: 'structura', customer: 'skyframe' },
      { supplier: 'titanforge', customer: 'structura' },
    ]);
    expect(again).toContain("# the operator's note");
  });

  it('refuses a file of another cluster, naming clusterId', () => {
    const other = listedRegistryFile('cluster.yaml', undefined, { ...listed(4000), clusterId: 'auto-cluster' });
    expect(() => listedRegistryFile('cluster.yaml', other, listed(4000))).toThrow(ConfigError);
    expect(() => listedRegistryFile('cluster.yaml', other, listed(4000))).toThrow(/key clusterId: this file lists cluster "auto-cluster"/);
  });

  it('refuses a member id that is listed already, naming members[i].id', () => {
    const first = listedRegistryFile('cluster.yaml', undefined, listed(4000));
    expect(() => withMember('cluster.yaml', first, member('structura', 4009), [])).toThrow(/key members\[1\]\.id: "structura" is already a member/);
  });
});
