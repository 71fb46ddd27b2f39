import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openFirmDatabase } from '../../../subgraphs/firm/db/openFirmDatabase.js';
import { templateFrom } from '../../../subgraphs/firm/db/pgliteTemplate.js';
import { tables } from '../../../subgraphs/firm/db/tables.js';

const MIGRATIONS = fileURLToPath(new URL('../../../subgraphs/firm/db/migrations', import.meta.url));
const journal = JSON.parse(await readFile(join(MIGRATIONS, 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] };

const migrationsIn = async (dump: Blob): Promise<number> => {
  const client = await PGlite.create({ loadDataDir: dump });
  try {
    return (await client.query<{ n: number }>('select count(*)::int as n from drizzle.__drizzle_migrations')).rows[0]?.n ?? -1;
  } finally {
    await client.close();
  }
};

describe('the migrated PGlite template', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'template-test-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('is built once and written to its file, then read back from it', async () => {
    const file = join(dir, 'fresh.tar');
    const built = await templateFrom(file, MIGRATIONS, {});
    expect(await migrationsIn(built)).toBe(journal.entries.length);
    const written = await stat(file);
    expect(written.size).toBe(built.size);
    const again = await templateFrom(file, MIGRATIONS, {});
    expect((await stat(file)).mtimeMs).toBe(written.mtimeMs);
    expect(again.size).toBe(built.size);
  });

  it("removes the templates of other migration sets when it writes its own, and nothing else", async () => {
    const stale = join(dir, 'cluster-data-space-pglite-0123456789abcdef.tar');
    const unrelated = join(dir, 'cluster-data-space-pglite-notes.txt');
    await writeFile(stale, 'an older schema');
    await writeFile(unrelated, 'keep me');
    await templateFrom(join(dir, 'cluster-data-space-pglite-fedcba9876543210.tar'), MIGRATIONS, {});
    await expect(stat(stale)).rejects.toMatchObject({ code: 'ENOENT' });
    expect((await stat(unrelated)).size).toBe(7);
  });

  it('rebuilds a damaged or empty file instead of starting a database from it', async () => {
    for (const [name, content] of [['damaged.tar', 'not a tar file'], ['empty.tar', '']] as const) {
      const file = join(dir, name);
      await writeFile(file, content);
      const built = await templateFrom(file, MIGRATIONS, {});
      expect(await migrationsIn(built)).toBe(journal.entries.length);
      expect((await stat(file)).size).toBe(built.size);
    }
  });

  it('gives every in-memory firm database its own copy: migrated, empty, and apart from the others', async () => {
    const [a, b] = [await openFirmDatabase(), await openFirmDatabase()];
    try {
      await a.db.insert(tables.parts).values({ firmId: 'alumill', partId: 'alumill-P1', partNumber: 'P1', name: 'plate', category: 'raw', uom: 'pcs', unitCost: 1 });
      expect(await a.db.select().from(tables.parts)).toHaveLength(1);
      expect(await b.db.select().from(tables.parts)).toHaveLength(0);
      expect(await b.db.select().from(tables.lots)).toHaveLength(0);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
