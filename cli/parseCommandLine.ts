import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError } from '../config/configError.js';

/**
 * Parses a command's options; an unknown or malformed option is a ConfigError naming the
 * command line and the option.
 */
export function parseCommandLine<T extends ParseArgsConfig['options']>(argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new ConfigError('command line', 'options', (err as Error).message);
  }
}
