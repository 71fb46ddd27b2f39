import { ConfigError } from '../../config/configError.js';
import { loadConfigFile } from '../../config/loadConfigFile.js';
import { readServerSecurity } from '../../config/readServerSecurity.js';
import { ownerRouterConfigSchema } from '../../router/ownerRouterConfig.js';
import { startOwnerRouterServer } from '../../router/startOwnerRouterServer.js';
import { parseCommandLine } from '../parseCommandLine.js';
import { startDirectoryReader } from '../directoryReader.js';
import { watchedPrivateKeyFile } from '../readKeyFiles.js';
import { stopOnSignal } from '../stopOnSignal.js';

/** `dataspace router --config <file>`: the stand-alone owner router, for another federation gateway in front. */
export async function routerCommand(argv: string[]): Promise<void> {
  const { values } = parseCommandLine(argv, { config: { type: 'string' } });
  if (!values.config) throw new ConfigError('command line', '--config', 'required: the router configuration file');
  const file = values.config;
  const config = loadConfigFile(file, ownerRouterConfigSchema);
  // Re-read when the file changes: a key rotation needs no restart (docs/deployment.md).
  const privateKeyPem = watchedPrivateKeyFile(file, 'privateKeyFile', config.privateKeyFile);
  const { enabled: breakerOn, ...breaker } = config.circuitBreaker;
  const security = readServerSecurity(file, config);
  const directory = await startDirectoryReader(file, config, { kind: 'gateway', id: config.gatewayId, privateKeyPem }, 'router');
  const router = await startOwnerRouterServer({
    registryUrl: config.registryUrl,
    directory,
    gatewayId: config.gatewayId,
    privateKeyPem,
    firmTimeoutMs: config.firmTimeoutMs,
    requestTimeoutMs: config.requestTimeoutMs,
    circuitBreaker: breakerOn ? breaker : false,
    localLinks: config.localLinks,
    host: config.listen.host,
    port: config.listen.port,
    ...security,
  });
  if (!directory.current()?.gateways.some((g) => g.id === config.gatewayId)) {
    console.error(`router: gateway "${config.gatewayId}" is not in the registry's gateways yet; the firms will refuse its requests until it is`);
  }
  const { firm, links, registry } = router.endpoints;
  process.stdout.write(`router serves ${firm} ${links} ${registry}\n`);
  if (router.metricsUrl) process.stdout.write(`router metrics at ${router.metricsUrl}/metrics\n`);
  stopOnSignal(() => router.close(), () => directory.stop());
}
