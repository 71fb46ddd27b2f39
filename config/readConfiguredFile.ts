import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConfigError } from './configError.js';

/**
 * Reads a file that a configuration file names under `key`, the path relative to the
 * configuration file; a file that cannot be read is a ConfigError naming both.
 * @example const pem = readConfiguredFile('gateway.yaml', 'privateKeyFile', config.privateKeyFile);
 */
export function readConfiguredFile(configFile: string, key: string, path: string): string {
  const full = resolve(dirname(resolve(configFile)), path);
  try {
    return readFileSync(full, 'utf8');
  } catch {
    throw new ConfigError(configFile, key, `cannot read ${full}`);
  }
}
