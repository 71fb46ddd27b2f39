import { dirname, resolve } from 'node:path';
import { DirectoryClient } from '../../cluster/directoryClient.js';
import { ConfigError } from '../../config/configError.js';
import { envString } from '../../config/env.js';
import { loadConfigFile } from '../../config/loadConfigFile.js';
import { loadPolicyFile } from '../../policies/loadPolicyFile.js';
import { dataModelFromSdl } from '../../schema/model.js';
import { subgraphSdl } from '../../schema/supergraph.js';
import { openFirmDatabase } from '../../subgraphs/firm/db/openFirmDatabase.js';
import { firmConfigSchema } from '../../subgraphs/firm/firmConfig.js';
import { startFirmSubgraph } from '../../subgraphs/firm/startFirmSubgraph.js';
import { parseCommandLine } from '../parseCommandLine.js';

/** `dataspace firm --config <file>`: one firm's subgraph, on its own database, under its own policy. */
export async function firmCommand(argv: string[]): Promise<void> {
  const { values } = parseCommandLine(argv, { config: { type: 'string' } });
  if (!values.config) throw new ConfigError('command line', '--config', 'required: the firm configuration file');
  const file = values.config;
  const config = loadConfigFile(file, firmConfigSchema);
  const base = dirname(resolve(file));
  const databaseUrl = envString('DATABASE_URL') ?? config.database.url;
  const policy = loadPolicyFile(resolve(base, config.policyFile), {
    model: dataModelFromSdl(subgraphSdl('firm')),
    expectedFirm: config.firmId,
  });
  const database = await openFirmDatabase(
    databaseUrl ? { databaseUrl } : { dataDir: resolve(base, config.database.dataDir ?? `data/${config.firmId}`) },
  );
  const directory = new DirectoryClient({ registryUrl: config.registryUrl, refreshMs: config.directoryRefreshSeconds * 1000 });
  const server = await startFirmSubgraph({ firmId: config.firmId, database, policy, directory, host: config.listen.host, port: config.listen.port });
  directory.start(60_000).catch((err: unknown) => console.error(`firm ${config.firmId}: ${(err as Error).message}`));
  process.stdout.write(
    `firm ${config.firmId} (${database.driver}) serves ${server.endpoints.firm} and ${server.endpoints.links}; registry ${config.registryUrl}\n`,
  );
  const stop = async (): Promise<void> => {
    directory.stop();
    await server.close();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}
