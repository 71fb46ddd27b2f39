import { join } from 'node:path';
import { parseCommandLine } from '../parseCommandLine.js';
import { ConfigError } from '../../config/configError.js';
import { startCluster } from '../../local/startCluster.js';
import { DEMO_PORT, demoClusterOptions, demoDataDir, demoRegistryFile } from '../../demo/demoCluster.js';
import { EXAMPLE_QUERIES } from '../../demo/exampleQueries.js';
import { seedDemoInvestigation } from '../../demo/demoInvestigation.js';
import { stopOnSignal } from '../stopOnSignal.js';

function portOption(value: string | undefined): number {
  if (value === undefined) return DEMO_PORT;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_000) {
    throw new ConfigError('command line', '--port', `expected a port number from 0 to 65000, got "${value}"`);
  }
  return port;
}

/** `dataspace demo [--port N] [--json]`: the demo cluster on embedded databases. */
export async function demoCommand(argv: string[]): Promise<void> {
  const { values } = parseCommandLine(argv, {
    port: { type: 'string' },
    json: { type: 'boolean' },
    host: { type: 'string' },
  });
  const started = Date.now();
  const dataDir = demoDataDir();
  const registryFile = demoRegistryFile(dataDir);
  const cluster = await startCluster({ ...demoClusterOptions({ port: portOption(values.port), host: values.host ?? '127.0.0.1', dataDir }), registryFile });
  stopOnSignal(() => cluster.stop());
  await seedDemoInvestigation(cluster);

  const members = cluster.directory.current().members;
  if (values.json) {
    process.stdout.write(
      `${JSON.stringify({
        gateway: cluster.gatewayUrl,
        registry: cluster.registryUrl,
        registryFile,
        firms: members.map((m) => ({ id: m.id, name: m.name, role: m.role, tier: m.tier, subgraphs: m.endpoints })),
      })}\n`,
    );
    return;
  }
  const lines = [
    `Cluster data space demo "${cluster.directory.current().clusterId}" is up (${Date.now() - started} ms, data in ${dataDir}).`,
    '',
    `  gateway   ${cluster.gatewayUrl}`,
    `  registry  ${cluster.registryUrl}/graphql   (directory: ${cluster.registryUrl}/directory, signed by the operator, for members and gateways)`,
    '',
    ...members.map((m) => `  tier ${m.tier}  ${m.id.padEnd(10)} ${m.role.padEnd(7)} ${m.endpoints.firm}  ${m.endpoints.links}${cluster.firms.has(m.id) ? '' : '   (its own process)'}`),
    '',
    `The cluster is listed in ${registryFile} (re-read by the registry when it changes); each demo firm's`,
    `configuration is in ${join(dataDir, 'firms')}/<id>.yaml, for every firm command's --config.`,
    'A new firm joins the running demo with:',
    '  npx dataspace init firm --id <id> --tier <n> --supplies <customer>',
    '',
    'Get a token for a user of a firm (signed with that firm\'s demo key):',
    '  TOKEN=$(npx dataspace token --firm skyframe --role planner)',
    '',
    'Then query the gateway, for example:',
    `  curl -s ${cluster.gatewayUrl} -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \\`,
    `    -d '{"query":"{ firms { id name role tier } }"}'`,
    '',
    ...EXAMPLE_QUERIES.flatMap((q, i) => [`Example ${i + 1}: ${q.title}`, q.query, '']),
    'Press Ctrl+C to stop.',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
