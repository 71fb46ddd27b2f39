import { createHash } from 'node:crypto';
import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { PGlite, type PGliteOptions } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';

/**
 * A migrated, empty PGlite data directory to start in-memory firm databases from.
 *
 * Creating a PGlite database runs initdb and then every migration: about 2 s each on the
 * machines we run on, paid by every firm of every cluster a test, a benchmark or the demo
 * starts. Loading a dump of an already migrated, empty database takes well under half of
 * that. The template is built once per process, and kept in the system's temporary
 * directory under a name that hashes the migrations and PGlite's version, so that the next
 * process loads it instead of building it again. A template that cannot be read, loaded or
 * written is rebuilt, or not used at all: the caller then migrates a fresh database as
 * before. The caller runs the migrator on a loaded database too (a no-op when the template is
 * current), so no database ever starts behind the schema.
 */

let template: Promise<Blob | undefined> | undefined;

/** The template (built, or read from the temporary directory, on first use); undefined when unavailable. */
export function migratedTemplate(migrationsFolder: string, startOptions: PGliteOptions): Promise<Blob | undefined> {
  template ??= fingerprint(migrationsFolder)
    .then((hash) => templateFrom(join(tmpdir(), `cluster-data-space-pglite-${hash}.tar`), migrationsFolder, startOptions))
    .catch(() => undefined);
  return template;
}

/**
 * The template kept in `file`, if it loads and holds every migration; otherwise one built
 * afresh and written to `file` (atomically: a concurrent process reads the old file or the
 * new one, never half of one). Exported for its test.
 */
export async function templateFrom(file: string, migrationsFolder: string, startOptions: PGliteOptions): Promise<Blob> {
  const stored = await readFile(file).catch(() => undefined);
  if (stored !== undefined && (await isCurrent(new Blob([stored]), migrationsFolder, startOptions))) return new Blob([stored]);
  const client = await PGlite.create(startOptions);
  try {
    await migrate(drizzle({ client }), { migrationsFolder });
    const dump = await client.dumpDataDir('none');
    const partial = `${file}.${process.pid}.${Date.now()}`;
    await writeFile(partial, Buffer.from(await dump.arrayBuffer()))
      .then(() => rename(partial, file))
      .then(() => removeOtherTemplates(file))
      .catch(() => rm(partial, { force: true }));
    return dump;
  } finally {
    await client.close().catch(() => undefined);
  }
}

/**
 * Removes the templates of other migration sets next to `file` (about 40 MB each: a checkout
 * that moved on would otherwise leave one per schema change). A process still starting from one
 * has read it already, or builds its own.
 */
async function removeOtherTemplates(file: string): Promise<void> {
  const dir = dirname(file);
  const own = basename(file);
  const others = (await readdir(dir)).filter((name) => name !== own && /^cluster-data-space-pglite-[0-9a-f]{16}\.tar$/.test(name));
  await Promise.all(others.map((name) => rm(join(dir, name), { force: true })));
}

/** Does the dump load, with as many migrations applied as the folder's journal lists? */
async function isCurrent(dump: Blob, migrationsFolder: string, startOptions: PGliteOptions): Promise<boolean> {
  const journal = JSON.parse(await readFile(join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as { entries?: unknown[] };
  const client = await PGlite.create({ ...startOptions, loadDataDir: dump }).catch(() => undefined);
  if (!client) return false;
  try {
    const applied = await client.query<{ n: number }>('select count(*)::int as n from drizzle.__drizzle_migrations');
    return applied.rows[0]?.n === (journal.entries ?? []).length;
  } catch {
    return false;
  } finally {
    await client.close().catch(() => undefined);
  }
}

/** A hash of every migration file (names and contents) and of PGlite's package file (its version). */
async function fingerprint(migrationsFolder: string): Promise<string> {
  const hash = createHash('sha256');
  hash.update(await readFile(join(dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite')), '..', 'package.json')));
  const walk = async (dir: string): Promise<void> => {
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      const path = join(dir, entry.name);
      hash.update(entry.name);
      if (entry.isDirectory()) await walk(path);
      else hash.update(await readFile(path));
    }
  };
  await walk(migrationsFolder);
  return hash.digest('hex').slice(0, 16);
}
