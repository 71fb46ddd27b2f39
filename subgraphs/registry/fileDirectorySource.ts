import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { clusterAudience, gatewayIssuer, memberIssuer, type Directory } from '../../cluster/directory.js';
import { publishTerms } from '../../cluster/publishTerms.js';
import { ConfigError } from '../../config/configError.js';
import { serviceKeyClash } from '../../identity/serviceKeys.js';
import { TrustList } from '../../identity/trustList.js';
import { loadConfigFile } from '../../config/loadConfigFile.js';
import type { DirectorySource } from './directorySource.js';
import { parseTerms } from './termsView.js';
import { registryConfigSchema, type RegistryConfig } from './registryConfig.js';

function readKeys(file: string, base: string, files: string[], key: string): string[] {
  return files.map((f, i) => {
    try {
      return readFileSync(resolve(base, f), 'utf8');
    } catch {
      throw new ConfigError(file, `${key}[${i}]`, `cannot read public key file ${resolve(base, f)}`);
    }
  });
}

/**
 * Builds the published directory from the operator's file (keys read from their PEM files);
 * a key that is not a P-256 public key, or a service key that is also another key of the
 * directory, is a ConfigError naming the file and the key.
 */
export function directoryFromConfig(file: string, config: RegistryConfig): Directory {
  const base = dirname(resolve(file));
  const directory: Directory = {
    clusterId: config.clusterId,
    audience: clusterAudience(config.clusterId),
    members: config.members.map((m, i) => ({
      id: m.id,
      name: m.name,
      role: m.role,
      tier: m.tier,
      sector: m.sector,
      endpoints: m.endpoints,
      issuer: m.issuer ?? memberIssuer(config.clusterId, m.id),
      publicKeys: readKeys(file, base, m.publicKeyFiles, `members[${i}].publicKeyFiles`),
      serviceKeys: readKeys(file, base, m.serviceKeyFiles, `members[${i}].serviceKeyFiles`),
      ...(m.maxTokenLifetimeSeconds === undefined ? {} : { maxTokenLifetimeSeconds: m.maxTokenLifetimeSeconds }),
      ...(m.identityProvider ? { identityProvider: m.identityProvider } : {}),
    })),
    gateways: config.gateways.map((g, i) => ({
      id: g.id,
      issuer: g.issuer ?? gatewayIssuer(config.clusterId, g.id),
      publicKeys: readKeys(file, base, g.publicKeyFiles, `gateways[${i}].publicKeyFiles`),
    })),
    relationships: config.relationships,
  };
  if (config.termsFile) {
    const termsPath = resolve(base, config.termsFile);
    try {
      directory.terms = publishTerms(termsPath);
    } catch {
      throw new ConfigError(file, 'termsFile', `cannot read ${termsPath}`);
    }
    // Terms every member would refuse are refused here, at the source (PolicyError names the terms file).
    parseTerms(directory.terms, termsPath);
  }
  try {
    TrustList.fromDirectory(directory);
  } catch (err) {
    throw new ConfigError(file, 'publicKeyFiles', `the trust list does not build: ${(err as Error).message}`);
  }
  // A service key that is not a P-256 public key, or is also a user-token, gateway or other
  // member's service key, is refused here: readers would refuse the whole directory.
  const clash = serviceKeyClash(directory);
  if (clash) {
    const path = config.members[clash.member]?.serviceKeyFiles[clash.key] ?? '';
    throw new ConfigError(file, `members[${clash.member}].serviceKeyFiles[${clash.key}]`, `${resolve(base, path)}: ${clash.message}`);
  }
  return directory;
}

/**
 * The directory from the registry's configuration file, re-read when the file changes
 * (checked at most once a second). A change that does not validate is reported and the
 * last good directory stays in force: a typo never empties the cluster.
 */
export class FileDirectorySource implements DirectorySource {
  private directory: Directory;
  private stamp: string;
  private termsPath: string | undefined;
  private checkedAt = 0;
  private lastError: string | undefined;

  constructor(
    private readonly file: string,
    private readonly onError: (error: Error) => void = (e) => console.error(e.message),
  ) {
    this.directory = this.load();
    this.stamp = this.currentStamp();
  }

  private load(): Directory {
    const config = loadConfigFile(this.file, registryConfigSchema);
    this.termsPath = config.termsFile ? resolve(dirname(resolve(this.file)), config.termsFile) : undefined;
    return directoryFromConfig(this.file, config);
  }

  /** The modification times of the registry file and of its terms file. */
  private currentStamp(): string {
    const terms = this.termsPath ? statSync(this.termsPath, { throwIfNoEntry: false })?.mtimeMs : undefined;
    return `${statSync(this.file).mtimeMs}/${terms ?? '-'}`;
  }

  /** The registry's listen address from the file. */
  listen(): RegistryConfig['listen'] {
    return loadConfigFile(this.file, registryConfigSchema).listen;
  }

  current(): Directory {
    const now = Date.now();
    if (now - this.checkedAt >= 1000) {
      this.checkedAt = now;
      try {
        const stamp = this.currentStamp();
        if (stamp !== this.stamp) {
          this.directory = this.load();
          // Only once it loaded: a failed read (a key file not copied yet, a half-written
          // file) is retried on the next check, not forgotten until the next edit.
          this.stamp = this.currentStamp();
          this.lastError = undefined;
        }
      } catch (err) {
        const error = err as Error;
        // Reported once, not at every retry.
        if (error.message !== this.lastError) this.onError(error);
        this.lastError = error.message;
      }
    }
    return this.directory;
  }
}
