import { dirname, resolve } from 'node:path';
import { ConfigError } from '../../config/configError.js';
import { loadConfigFile } from '../../config/loadConfigFile.js';
import { readServerSecurity } from '../../config/readServerSecurity.js';
import { gatewayConfigSchema } from '../../gateway/gatewayConfig.js';
import { gatewayLimits, startGateway } from '../../gateway/startGateway.js';
import { TrustedDocuments } from '../../limits/trustedDocuments.js';
import { parseCommandLine } from '../parseCommandLine.js';
import { startDirectoryReader } from '../directoryReader.js';
import { watchedPrivateKeyFile } from '../readKeyFiles.js';
import { stopOnSignal } from '../stopOnSignal.js';

/** `dataspace gateway --config <file>`: the cluster gateway. */
export async function gatewayCommand(argv: string[]): Promise<void> {
  const { values } = parseCommandLine(argv, { config: { type: 'string' } });
  if (!values.config) throw new ConfigError('command line', '--config', 'required: the gateway configuration file');
  const file = values.config;
  const config = loadConfigFile(file, gatewayConfigSchema);
  // Re-read when the file changes: a key rotation needs no restart (docs/deployment.md).
  const privateKeyPem = watchedPrivateKeyFile(file, 'privateKeyFile', config.privateKeyFile);
  const { enabled: breakerOn, ...breaker } = config.circuitBreaker;
  // A bad manifest stops the gateway here, naming the file and the entry.
  const trustedDocuments = config.trustedDocumentsFile ? TrustedDocuments.load(resolve(dirname(resolve(file)), config.trustedDocumentsFile)) : undefined;
  // A `listSizes` key that is no list field stops the gateway here, before it waits for the registry.
  gatewayLimits(config.limits, file);
  // Certificate, key and scrape token: a bad file stops the gateway here, naming the key.
  const security = readServerSecurity(file, config);
  const directory = await startDirectoryReader(file, config, { kind: 'gateway', id: config.gatewayId, privateKeyPem }, 'gateway');
  const gateway = await startGateway({
    registryUrl: config.registryUrl,
    directory,
    gatewayId: config.gatewayId,
    privateKeyPem,
    firmTimeoutMs: config.firmTimeoutMs,
    requestTimeoutMs: config.requestTimeoutMs,
    circuitBreaker: breakerOn ? breaker : false,
    host: config.listen.host,
    port: config.listen.port,
    introspection: config.introspection,
    localLinks: config.localLinks,
    limits: config.limits,
    configFile: file,
    trustedDocuments,
    ...security,
  });
  process.stdout.write(`gateway serves ${gateway.url} (${directory.current()?.members.length ?? 0} members)\n`);
  if (gateway.metricsUrl) process.stdout.write(`gateway metrics at ${gateway.metricsUrl}/metrics\n`);
  stopOnSignal(() => directory.stop(), () => gateway.close());
}
