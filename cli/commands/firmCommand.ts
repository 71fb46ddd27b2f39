import { dirname, resolve } from 'node:path';
import { DirectoryClient } from '../../cluster/directoryClient.js';
import { ConfigError } from '../../config/configError.js';
import { envString } from '../../config/env.js';
import { loadConfigFile } from '../../config/loadConfigFile.js';
import { readServerSecurity } from '../../config/readServerSecurity.js';
import { GraphQLError } from 'graphql';
import { firmDataModel } from '../../schema/model.js';
import { openFirmDatabase } from '../../subgraphs/firm/db/openFirmDatabase.js';
import { unvalidatedConstraints } from '../../subgraphs/firm/db/unvalidatedConstraints.js';
import { firmConfigSchema } from '../../subgraphs/firm/firmConfig.js';
import { FirmPolicy } from '../../subgraphs/firm/firmPolicy.js';
import { publishPolicy, type PublishedPolicy } from '../../subgraphs/firm/publishedPolicy.js';
import { startFirmSubgraph } from '../../subgraphs/firm/startFirmSubgraph.js';
import { parseCommandLine } from '../parseCommandLine.js';
import { readOperatorPublicKeys, watchedPrivateKeyFile } from '../readKeyFiles.js';
import { stopOnSignal } from '../stopOnSignal.js';

/** `dataspace firm --config <file>`: one firm's subgraph, on its own database, under its own policy. */
export async function firmCommand(argv: string[]): Promise<void> {
  const { values } = parseCommandLine(argv, { config: { type: 'string' } });
  if (!values.config) throw new ConfigError('command line', '--config', 'required: the firm configuration file');
  const file = values.config;
  const config = loadConfigFile(file, firmConfigSchema);
  const base = dirname(resolve(file));
  const databaseUrl = envString('DATABASE_URL') ?? config.database.url;
  const policyPath = resolve(base, config.policyFile);
  let policy: PublishedPolicy;
  try {
    policy = publishPolicy(config.firmId, policyPath);
  } catch {
    throw new ConfigError(file, 'policyFile', `cannot read ${policyPath}`);
  }
  // Parsed and validated before anything starts: a bad policy file stops the firm here.
  new FirmPolicy(config.firmId, policy, firmDataModel());
  // The firm's service key: the process never holds the key that signs its users' tokens.
  // Re-read when the file changes: a rotation (two serviceKeyFiles at the registry) needs no restart.
  const reader = { kind: 'firm' as const, id: config.firmId, privateKeyPem: watchedPrivateKeyFile(file, 'serviceKeyFile', config.serviceKeyFile) };
  const operatorPublicKeys = readOperatorPublicKeys(file, config.operatorPublicKeyFiles);
  const security = readServerSecurity(file, config);
  const database = await openFirmDatabase(
    databaseUrl ? { databaseUrl } : { dataDir: resolve(base, config.database.dataDir ?? `data/${config.firmId}`) },
  );
  const directory = new DirectoryClient({ registryUrl: config.registryUrl, refreshMs: config.directoryRefreshSeconds * 1000, operatorPublicKeys, reader });
  const server = await startFirmSubgraph({ firmId: config.firmId, database, policy, directory, host: config.listen.host, port: config.listen.port, limits: config.limits, configFile: file, serviceKey: reader.privateKeyPem, ...(config.gatewayUrl ? { gatewayUrl: config.gatewayUrl } : {}), ...security });
  try {
    await directory.start(30_000);
    const current = directory.current();
    // The policy must fit the cluster terms (their purpose vocabulary).
    if (current) server.policy.inForce(current);
  } catch (err) {
    if (err instanceof GraphQLError) {
      await server.close();
      await database.close();
      throw Object.assign(new Error(err.message), { code: String(err.extensions.code) });
    }
    console.error(`firm ${config.firmId}: ${(err as Error).message}; it keeps polling the registry`);
  }
  process.stdout.write(
    `firm ${config.firmId} (${database.driver}) serves ${server.endpoints.firm} and ${server.endpoints.links}; registry ${config.registryUrl}\n`,
  );
  if (server.metricsUrl) process.stdout.write(`firm ${config.firmId} metrics at ${server.metricsUrl}/metrics\n`);
  for (const c of await unvalidatedConstraints(database.db)) {
    console.error(`firm ${config.firmId}: constraint ${c} is NOT VALID: rows written before it break it (new rows obey it; repair them, then VALIDATE CONSTRAINT)`);
  }
  stopOnSignal(() => directory.stop(), () => server.close(), () => database.close());
}
