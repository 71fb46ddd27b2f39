import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Writes a file whole or not at all: the text goes to `<file>.<pid>.tmp` next to it, then is
 * renamed over the file, so that a reader that re-reads the file on change (the registry,
 * a firm's key watcher) never sees half of it. The folder is created when missing.
 * @example writeFileAtomically('.dataspace/cluster.yaml', text);
 */
export function writeFileAtomically(file: string, text: string, mode = 0o644): void {
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, text, { mode });
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
