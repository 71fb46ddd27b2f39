import { readFileSync, statSync } from 'node:fs';

/** How a watched file is read; injectable for tests. */
export interface FileAccess {
  /** Modification time in ms, or undefined when the file is missing. */
  mtimeMs(path: string): number | undefined;
  read(path: string): string;
}

const NODE_FILES: FileAccess = {
  mtimeMs: (path) => statSync(path, { throwIfNoEntry: false })?.mtimeMs,
  read: (path) => readFileSync(path, 'utf8'),
};

export interface WatchedFileOptions {
  /** Checks the file's modification time at most this often, default 1000 ms. */
  checkEveryMs?: number;
  /** Tells whether a new text is usable (e.g. a PEM private key); a text that is not is reported and ignored. */
  validate?(text: string): void;
  /** A change that could not be read or validated: the last good text stays in use. */
  onError?(error: Error): void;
  clock?: () => number;
  files?: FileAccess;
}

/**
 * A file's text that follows changes of the file: read at start (errors thrown), then re-read
 * when its modification time changes (checked at most once a second, when asked). A change
 * that cannot be read or does not validate is reported once and the last good text stays:
 * a half-copied key file never stops a gateway. The gateway and the owner router read their
 * signing key this way, so a key rotation needs no restart.
 * @example const key = watchedFile('/etc/dataspace/gateway.key.pem', { validate: assertPrivateKey }); signWith(key());
 */
export function watchedFile(path: string, options: WatchedFileOptions = {}): () => string {
  const files = options.files ?? NODE_FILES;
  const clock = options.clock ?? Date.now;
  const every = options.checkEveryMs ?? 1000;
  let text = files.read(path);
  options.validate?.(text);
  let stamp = files.mtimeMs(path);
  let checkedAt = clock();
  let lastError: string | undefined;
  return () => {
    const now = clock();
    if (now - checkedAt < every) return text;
    checkedAt = now;
    const current = files.mtimeMs(path);
    if (current === stamp) return text;
    try {
      const next = files.read(path);
      options.validate?.(next);
      text = next;
      stamp = current;
      lastError = undefined;
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      if (error.message !== lastError) options.onError?.(new Error(`${path}: ${error.message}; the previous version stays in use`));
      lastError = error.message;
    }
    return text;
  };
}
