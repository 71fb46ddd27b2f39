import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parse } from 'yaml';
import { joiningFirmProblems } from '../../cluster/joiningFirm.js';
import { ConfigError } from '../../config/configError.js';
import { loadConfigFile, validateConfig } from '../../config/loadConfigFile.js';
import { writeFileAtomically } from '../../config/writeFileAtomically.js';
import { firmFilePath } from '../../local/writeClusterFiles.js';
import { demoDataDir, demoRegistryFile } from '../../demo/demoCluster.js';
import { privateKeyPath, publicKeyPath } from '../../identity/keys.js';
import { generateMemberKeys } from '../../identity/memberKeys.js';
import { loadClusterTerms } from '../../policies/loadClusterTerms.js';
import { loadPolicyFile } from '../../policies/loadPolicyFile.js';
import { starterPolicy } from '../../policies/starterPolicy.js';
import { firmDataModel } from '../../schema/model.js';
import { firmConfigSchema } from '../../subgraphs/firm/firmConfig.js';
import { firmFileText } from '../../subgraphs/firm/firmFile.js';
import { directoryFromConfig } from '../../subgraphs/registry/fileDirectorySource.js';
import { registryConfigSchema, type RegistryConfig } from '../../subgraphs/registry/registryConfig.js';
import { withMember } from '../../subgraphs/registry/registryFileEdits.js';
import { parseCommandLine } from '../parseCommandLine.js';

const USAGE =
  'usage: dataspace init firm --id <id> --tier <n> --supplies <customer> [--supplies <customer>]... [--name <text>] [--sector <text>] [--port <n>] [--database-url <postgres://...>] [--gateway-url <url>]';

function wholeNumber(value: string | undefined, option: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) throw new ConfigError('command line', option, `expected a whole number, got "${value}"`);
  return n;
}

/** The port after the highest one the registry file names (its own, every member's endpoints): where the demo has room. */
function nextFreePort(config: RegistryConfig): number {
  const ports = [config.listen.port, ...config.members.flatMap((m) => [m.endpoints.firm, m.endpoints.links].map((u) => Number(new URL(u).port || 80)))];
  return Math.max(...ports) + 1;
}

/** The gateway URL a demo firm's file names (the customer's), if any. */
function demoGatewayUrl(dataDir: string, customers: readonly string[]): string | undefined {
  for (const customer of customers) {
    const file = firmFilePath(dataDir, customer);
    if (existsSync(file)) return loadConfigFile(file, firmConfigSchema).gatewayUrl;
  }
  return undefined;
}

function titleOf(id: string): string {
  return id.split('-').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(' ');
}

/** A firm that joins: what its files say. */
interface Joining {
  id: string;
  name: string;
  tier: number;
  sector: string;
  relationships: { supplier: string; customer: string }[];
  host: string;
  port: number;
  databaseUrl?: string;
  firmFile: string;
  keysDir: string;
  registryFile: string;
  registryPort: number;
  gatewayUrl?: string;
}

/** The registry file with the firm added, checked as the registry would load it (its keys, its terms): never written broken. */
function registryWith(j: Joining): string {
  const fromRegistry = (path: string): string => relative(dirname(j.registryFile), path);
  const member = {
    id: j.id,
    name: j.name,
    role: 'partner' as const,
    tier: j.tier,
    sector: j.sector,
    endpoints: { firm: `http://${j.host}:${j.port}/firm`, links: `http://${j.host}:${j.port}/links` },
    publicKeyFiles: [fromRegistry(publicKeyPath(j.keysDir, j.id))],
    serviceKeyFiles: [fromRegistry(publicKeyPath(j.keysDir, `${j.id}.service`))],
  };
  const next = withMember(j.registryFile, readFileSync(j.registryFile, 'utf8'), member, j.relationships);
  directoryFromConfig(j.registryFile, validateConfig(j.registryFile, parse(next), registryConfigSchema));
  return next;
}

/** The firm's configuration file, every path relative to it. */
function firmFileOf(j: Joining, policyFile: string): string {
  const fromFirm = (path: string): string => relative(dirname(j.firmFile), path);
  const customers = j.relationships.map((r) => r.customer).join(', ');
  return firmFileText(j.firmFile, {
    firmId: j.id,
    listen: { host: j.host, port: j.port },
    database: j.databaseUrl ? { url: j.databaseUrl } : { dataDir: `${j.id}/pgdata` },
    policyFile: fromFirm(policyFile),
    registryUrl: `http://${j.host}:${j.registryPort}`,
    serviceKeyFile: fromFirm(privateKeyPath(j.keysDir, `${j.id}.service`)),
    operatorPublicKeyFiles: [fromFirm(publicKeyPath(j.keysDir, 'operator'))],
    directoryRefreshSeconds: 10,
    ...(j.gatewayUrl ? { gatewayUrl: j.gatewayUrl } : {}),
    comment: `Written by \`dataspace init firm\`: ${j.name}, tier ${j.tier}, supplies ${customers}. Start it with \`npx dataspace firm --config ${j.firmFile}\`.`,
  });
}

/**
 * `dataspace init firm --id <id> --tier <n> --supplies <customer>...`: a new firm joins the
 * running demo (the cluster of `<DATASPACE_DATA_DIR>/cluster.yaml`). Writes the firm's keys
 * (`keys/<id>.key.pem` for its users' tokens, `keys/<id>.service.key.pem` for its process),
 * a starter policy `firms/<id>.policy.yaml` checked against the cluster's terms, its
 * configuration `firms/<id>.yaml`, and adds the member and its relationships to the registry
 * file, which the running registry re-reads; prints the next commands. An id that is taken, a
 * customer that is not a member, a tier that is not one below its customers': exit 2, naming it.
 * @example await initCommand(['firm', '--id', 'titanforge', '--tier', '2', '--supplies', 'structura']);
 */
export async function initCommand(argv: string[], write: (text: string) => void = (t) => process.stdout.write(t)): Promise<void> {
  const [what, ...rest] = argv;
  if (what !== 'firm') throw new ConfigError('command line', 'init', `${what === undefined ? 'missing' : `unknown: "${what}"`}; expected "init firm"\n${USAGE}`);
  const { values, positionals } = parseCommandLine(rest, {
    id: { type: 'string' },
    tier: { type: 'string' },
    supplies: { type: 'string', multiple: true },
    name: { type: 'string' },
    sector: { type: 'string' },
    port: { type: 'string' },
    'database-url': { type: 'string' },
    'gateway-url': { type: 'string' },
  });
  if (positionals.length > 0) throw new ConfigError('command line', 'init firm', `unexpected argument "${positionals[0] ?? ''}"\n${USAGE}`);
  if (!values.id) throw new ConfigError('command line', '--id', `required: the new firm's id\n${USAGE}`);
  if (values.tier === undefined) throw new ConfigError('command line', '--tier', `required: the new firm's tier (its customer's + 1)\n${USAGE}`);
  const id = values.id;
  const tier = wholeNumber(values.tier, '--tier', 0);
  const supplies = values.supplies ?? [];
  const databaseUrl = values['database-url'];
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) throw new ConfigError('command line', '--database-url', 'expected a postgres:// URL');

  const dataDir = demoDataDir();
  const registryFile = demoRegistryFile(dataDir);
  if (!existsSync(registryFile)) {
    throw new ConfigError('environment', 'DATASPACE_DATA_DIR', `no demo cluster in ${dataDir} (no ${registryFile}): start the demo once with \`npx dataspace demo\`, or set DATASPACE_DATA_DIR to its data folder`);
  }
  const registry = loadConfigFile(registryFile, registryConfigSchema);
  const problems = joiningFirmProblems(registry.members, { id, tier, supplies });
  const firmFile = firmFilePath(dataDir, id);
  const keysDir = join(dataDir, 'keys');
  const keyFiles = [id, `${id}.service`].flatMap((name) => [privateKeyPath(keysDir, name), publicKeyPath(keysDir, name)]);
  const taken = [firmFile, ...keyFiles].find((f) => existsSync(f));
  if (problems.length === 0 && taken) problems.push({ key: '--id', message: `"${id}" exists already: ${taken}` });
  if (problems.length > 0) throw new ConfigError('command line', problems);
  const port = wholeNumber(values.port, '--port', nextFreePort(registry));
  if (port < 1 || port > 65_535) throw new ConfigError('command line', '--port', `expected a port from 1 to 65535, got ${port}`);
  const host = registry.listen.host;
  const firmsDir = dirname(firmFile);
  const model = firmDataModel();
  const termsFile = registry.termsFile ? resolve(dirname(registryFile), registry.termsFile) : undefined;
  const now = new Date();
  const purposes = termsFile ? loadClusterTerms(termsFile, { model, now }).purposes.map((p) => p.id) : [];

  // The gateway its receipts check shipments through: the one the demo's firms use.
  const gatewayUrl = values['gateway-url'] ?? demoGatewayUrl(dataDir, supplies);
  const name = values.name ?? titleOf(id);
  const relationships = [...new Set(supplies)].map((customer) => ({ supplier: id, customer }));
  const joining: Joining = { id, name, tier, sector: values.sector ?? '', relationships, host, port, ...(databaseUrl ? { databaseUrl } : {}), firmFile, keysDir, registryFile, registryPort: registry.listen.port, ...(gatewayUrl ? { gatewayUrl } : {}) };
  const policyFile = join(firmsDir, `${id}.policy.yaml`);
  // Its keys: the user-token key stays with its identity provider, the service key with its process.
  generateMemberKeys(keysDir, id);
  try {
    writeFileAtomically(policyFile, starterPolicy({ firmId: id, name, customers: supplies }));
    loadPolicyFile(policyFile, { model, now, purposes, expectedFirm: id });
    const nextRegistry = registryWith(joining);
    writeFileAtomically(firmFile, firmFileOf(joining, policyFile));
    writeFileAtomically(registryFile, nextRegistry);
  } catch (error) {
    // Nothing of a firm that did not join stays behind: the same command can run again.
    for (const f of [...keyFiles, policyFile, firmFile]) rmSync(f, { force: true });
    throw error;
  }

  write(
    [
      `firm ${id} joins cluster ${registry.clusterId}: tier ${tier}, supplies ${supplies.join(', ')}`,
      `  keys      ${privateKeyPath(keysDir, id)} (its users' tokens), ${privateKeyPath(keysDir, `${id}.service`)} (its subgraph process)`,
      `  policy    ${policyFile} (a start: edit it, then \`npx dataspace policy check ${policyFile}${termsFile ? ` --terms ${termsFile}` : ''}\`)`,
      `  config    ${firmFile} (listens on ${host}:${port}; database ${databaseUrl ? 'PostgreSQL' : `PGlite in ${join(firmsDir, id, 'pgdata')}`})`,
      `  registry  ${registryFile}: member ${id} and ${relationships.map((r) => `${r.supplier} supplies ${r.customer}`).join(', ')} added (the running registry re-reads it)`,
      '',
      'Next:',
      `  npx dataspace firm --config ${firmFile}              # start it (DATABASE_URL=postgres://... to run it on PostgreSQL)`,
      `  npx dataspace import --config ${firmFile} <folder>   # load its data from CSV files (docs/import-format.md)`,
      `  TOKEN=$(npx dataspace token --firm ${id} --role admin)`,
      '',
    ].join('\n'),
  );
}
