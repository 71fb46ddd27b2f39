import { DirectoryAccessError, DirectoryClient } from '../cluster/directoryClient.js';
import type { DirectoryReader } from '../identity/directoryReaderToken.js';
import { readOperatorPublicKeys } from './readKeyFiles.js';

/** What a gateway's or router's file says about reading the directory. */
export interface DirectoryReaderConfig {
  registryUrl: string;
  directoryRefreshSeconds: number;
  operatorPublicKeyFiles: readonly string[];
}

/**
 * The directory client of a command that reads the directory as `reader` (the gateway, the
 * owner router): the operator's pinned keys read from the configuration file (a bad one stops
 * the program naming the key), then a first directory awaited for up to `waitMs`. A reader the
 * registry does not list yet is not an error: it serves (503 `DIRECTORY_UNAVAILABLE`) and keeps
 * polling until the operator lists it.
 * @example const directory = await startDirectoryReader('gateway.yaml', config, reader, 'gateway');
 */
export async function startDirectoryReader(file: string, config: DirectoryReaderConfig, reader: DirectoryReader, who: string, waitMs = 60_000): Promise<DirectoryClient> {
  const operatorPublicKeys = readOperatorPublicKeys(file, config.operatorPublicKeyFiles);
  const directory = new DirectoryClient({ registryUrl: config.registryUrl, refreshMs: config.directoryRefreshSeconds * 1000, operatorPublicKeys, reader });
  try {
    await directory.start(waitMs);
  } catch (err) {
    if (!(err instanceof DirectoryAccessError)) throw err;
    console.error(`${who}: ${err.message}; it keeps polling the registry`);
  }
  return directory;
}
