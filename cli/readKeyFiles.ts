/**
 * The key files a command's configuration names, read and checked at start: a missing file
 * or a key of the wrong kind stops the program with a ConfigError naming the file and the key.
 */
import { createPrivateKey } from 'node:crypto';
import { ConfigError } from '../config/configError.js';
import { readConfiguredFile } from '../config/readConfiguredFile.js';
import { watchedFile } from '../config/watchedFile.js';
import { dirname, resolve } from 'node:path';
import { es256PublicKey } from '../identity/es256PublicKey.js';
import { keyId } from '../identity/keyId.js';

/**
 * The PEM text of an ES256 (EC P-256) private key file named under `key`.
 * @example const pem = readPrivateKeyFile('firm.yaml', 'serviceKeyFile', config.serviceKeyFile);
 */
export function readPrivateKeyFile(configFile: string, key: string, path: string): string {
  const pem = readConfiguredFile(configFile, key, path);
  try {
    keyId(createPrivateKey(pem));
  } catch {
    throw new ConfigError(configFile, key, `${path} is not an ES256 (EC P-256) PEM private key`);
  }
  return pem;
}

/**
 * An ES256 private key file that is followed for a rotation: read and checked at start like
 * {@link readPrivateKeyFile}; afterwards re-read when the file changes (checked at most once a
 * second), a new key used from the next signature on. A new text that is not such a key is
 * logged and ignored (the previous key stays): a half-written file never stops the server.
 * @example const key = watchedPrivateKeyFile('gateway.yaml', 'privateKeyFile', config.privateKeyFile); sign(key())
 */
export function watchedPrivateKeyFile(configFile: string, key: string, path: string, log: (message: string) => void = console.error): () => string {
  readPrivateKeyFile(configFile, key, path);
  return watchedFile(resolve(dirname(resolve(configFile)), path), {
    validate: (pem) => {
      keyId(createPrivateKey(pem));
    },
    onError: (error) => log(`${configFile}: ${key}: ${error.message}`),
  });
}

/**
 * The operator's public keys a reader pins (`operatorPublicKeyFiles`): one, or two during a rotation.
 * @example const operatorPublicKeys = readOperatorPublicKeys('gateway.yaml', config.operatorPublicKeyFiles);
 */
export function readOperatorPublicKeys(configFile: string, paths: readonly string[]): string[] {
  return paths.map((path, i) => {
    const key = `operatorPublicKeyFiles[${i}]`;
    const pem = readConfiguredFile(configFile, key, path);
    try {
      es256PublicKey(pem, path);
    } catch (error) {
      throw new ConfigError(configFile, key, (error as Error).message);
    }
    return pem;
  });
}
