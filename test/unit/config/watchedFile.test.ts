import { describe, expect, it } from 'vitest';
import { watchedFile, type FileAccess } from '../../../config/watchedFile.js';

/** An in-memory file system whose files change when the test says so. */
function memoryFiles(initial: Record<string, string>): FileAccess & { write(path: string, text: string): void; reads: number } {
  const files = new Map(Object.entries(initial).map(([p, t]) => [p, { text: t, mtime: 1 }]));
  const fs = {
    reads: 0,
    mtimeMs: (path: string) => files.get(path)?.mtime,
    read: (path: string) => {
      fs.reads += 1;
      const f = files.get(path);
      if (!f) throw new Error('ENOENT');
      return f.text;
    },
    write: (path: string, text: string) => files.set(path, { text, mtime: (files.get(path)?.mtime ?? 0) + 1 }),
  };
  return fs;
}

describe('watchedFile', () => {
  it('follows a change of the file, checking at most once per interval', () => {
    const files = memoryFiles({ '/k.pem': 'old' });
    let now = 0;
    const key = watchedFile('/k.pem', { files, clock: () => now });
    expect(key()).toBe('old');
    files.write('/k.pem', 'new');
    now = 500;
    expect(key()).toBe('old'); // not checked yet
    now = 1000;
    expect(key()).toBe('new');
    expect(files.reads).toBe(2);
    now = 5000;
    expect(key()).toBe('new');
    expect(files.reads).toBe(2); // unchanged: not read again
  });

  it('keeps the last good text when a change does not validate, and reports it once', () => {
    const files = memoryFiles({ '/k.pem': 'KEY-1' });
    let now = 0;
    const errors: string[] = [];
    const validate = (t: string): void => {
      if (!t.startsWith('KEY')) throw new Error('not a key');
    };
    const key = watchedFile('/k.pem', { files, clock: () => now, validate, onError: (e) => errors.push(e.message) });
    files.write('/k.pem', 'half-cop');
    now = 1000;
    expect(key()).toBe('KEY-1');
    now = 2000;
    expect(key()).toBe('KEY-1');
    expect(errors).toEqual(['/k.pem: not a key; the previous version stays in use']);
    files.write('/k.pem', 'KEY-2');
    now = 3000;
    expect(key()).toBe('KEY-2');
  });

  it('throws at start when the file cannot be read or does not validate', () => {
    expect(() => watchedFile('/missing', { files: memoryFiles({}) })).toThrow(/ENOENT/);
    expect(() => watchedFile('/k', { files: memoryFiles({ '/k': 'x' }), validate: () => { throw new Error('bad'); } })).toThrow(/bad/);
  });
});
