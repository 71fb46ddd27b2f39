import { ConfigError } from '../../config/configError.js';
import { loadConfigFile } from '../../config/loadConfigFile.js';
import { readServerSecurity } from '../../config/readServerSecurity.js';
import { FileDirectorySource } from '../../subgraphs/registry/fileDirectorySource.js';
import { registryConfigSchema } from '../../subgraphs/registry/registryConfig.js';
import { startRegistry } from '../../subgraphs/registry/startRegistry.js';
import { parseCommandLine } from '../parseCommandLine.js';
import { readPrivateKeyFile } from '../readKeyFiles.js';
import { stopOnSignal } from '../stopOnSignal.js';

/** `dataspace registry --config <file>`: the cluster registry, re-reading its file on change. */
export async function registryCommand(argv: string[]): Promise<void> {
  const { values } = parseCommandLine(argv, { config: { type: 'string' } });
  if (!values.config) throw new ConfigError('command line', '--config', 'required: the registry configuration file');
  const config = loadConfigFile(values.config, registryConfigSchema);
  const { listen, limits, operatorPrivateKeyFile, directoryTtlSeconds } = config;
  const { tls } = readServerSecurity(values.config, config);
  const operatorPrivateKeyPem = readPrivateKeyFile(values.config, 'operatorPrivateKeyFile', operatorPrivateKeyFile);
  const source = new FileDirectorySource(values.config);
  const registry = await startRegistry({ source, operatorPrivateKeyPem, directoryTtlSeconds, host: listen.host, port: listen.port, limits, configFile: values.config, tls });
  process.stdout.write(`registry serves ${registry.url}/graphql and ${registry.url}/directory (${source.current().members.length} members)\n`);
  stopOnSignal(() => registry.close());
}
