/**
 * The files of a server's `tls` and `metrics` keys, read and checked at start: a file that
 * cannot be read, a certificate that does not parse or has expired, a key that is not the
 * certificate's, or a scrape token too short to be a secret stops the program with a
 * ConfigError naming the configuration file and the key.
 */
import { readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import type { MetricsEndpoint } from '../http/metricsEndpoint.js';
import { tlsCredentialsProblem, type TlsCredentials } from '../http/tlsCredentials.js';
import { ConfigError, ENVIRONMENT } from './configError.js';
import { readConfiguredFile } from './readConfiguredFile.js';
import type { EnvSource } from './env.js';

/** What a server's start function takes of its `tls` and `metrics` keys. */
export interface ServerSecurity {
  tls?: TlsCredentials;
  metricsEndpoint?: MetricsEndpoint;
}

/** The `tls` and `metrics` keys as the configuration schemas parse them (config/schemas/common.ts). */
export interface ServerSecurityConfig {
  tls?: { certFile: string; keyFile: string } | undefined;
  metrics?: { tokenFile?: string | undefined; listen?: { host: string; port: number } | undefined } | undefined;
}

/** A scrape token: at least 32 visible ASCII characters (`openssl rand -hex 32` makes 64). */
const SCRAPE_TOKEN = /^[\x21-\x7e]{32,}$/;

/**
 * Reads the certificate, key and scrape token files a server's configuration names
 * (relative to the configuration file).
 * @example const { tls, metricsEndpoint } = readServerSecurity('gateway.yaml', config);
 */
export function readServerSecurity(configFile: string, config: ServerSecurityConfig): ServerSecurity {
  const security: ServerSecurity = {};
  if (config.tls) {
    const tls = {
      cert: readConfiguredFile(configFile, 'tls.certFile', config.tls.certFile),
      key: readConfiguredFile(configFile, 'tls.keyFile', config.tls.keyFile),
    };
    const problem = tlsCredentialsProblem(tls);
    if (problem) {
      const key = problem.part === 'cert' ? 'tls.certFile' : 'tls.keyFile';
      throw new ConfigError(configFile, key, `${problem.part === 'cert' ? config.tls.certFile : config.tls.keyFile} ${problem.message}`);
    }
    security.tls = tls;
  }
  if (config.metrics) {
    const endpoint: MetricsEndpoint = {};
    if (config.metrics.tokenFile !== undefined) {
      const token = readConfiguredFile(configFile, 'metrics.tokenFile', config.metrics.tokenFile).trim();
      if (!SCRAPE_TOKEN.test(token)) {
        throw new ConfigError(configFile, 'metrics.tokenFile', 'the scrape token must be one line of at least 32 visible ASCII characters (openssl rand -hex 32)');
      }
      endpoint.token = token;
    }
    if (config.metrics.listen) endpoint.listen = config.metrics.listen;
    security.metricsEndpoint = endpoint;
  }
  return security;
}

/**
 * Checks NODE_EXTRA_CA_CERTS, the file of CA certificates that outbound https:// calls trust
 * besides the public ones: Node reads it once at start and, when it cannot, only warns and
 * goes on without it, so that every call to a peer with a certificate of the cluster's CA
 * would fail later. Here a file that cannot be read or holds no certificate stops the program.
 * @example checkExtraCaCerts(); // throws ConfigError: environment variable NODE_EXTRA_CA_CERTS: cannot read /etc/dataspace/ca.crt
 */
export function checkExtraCaCerts(env: EnvSource = process.env): void {
  const path = env.NODE_EXTRA_CA_CERTS?.trim();
  if (path === undefined || path === '') return;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new ConfigError(ENVIRONMENT, 'NODE_EXTRA_CA_CERTS', `cannot read ${path}`);
  }
  try {
    new X509Certificate(text);
  } catch {
    throw new ConfigError(ENVIRONMENT, 'NODE_EXTRA_CA_CERTS', `${path} holds no PEM certificate`);
  }
}
