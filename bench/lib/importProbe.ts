/**
 * One import timed in a process of its own (so that its peak RSS is the import's): opens the
 * firm's database (DATABASE_URL, or the PGlite directory given), imports a folder with the
 * command's own path (importSources → readImportFiles → importRows, as `dataspace import`
 * does on a database it writes itself), then imports it again (nothing changes), and prints
 * one JSON line: rows, seconds and rows per second of each, statements, peak RSS.
 *
 *   node bin/run.mjs bench/lib/importProbe.ts <folder> <firmId> [pglite data dir]
 */
import { importSources, readImportFiles } from '../../subgraphs/firm/data/importFiles.js';
import { importRows } from '../../subgraphs/firm/data/importRows.js';
import { openFirmDatabase } from '../../subgraphs/firm/db/openFirmDatabase.js';

const [folder, firmId, dataDir] = process.argv.slice(2);
if (!folder || !firmId) throw new Error('usage: importProbe <folder> <firmId> [dataDir]');
const url = process.env.DATABASE_URL;
const database = await openFirmDatabase(url ? { databaseUrl: url, maxConnections: 2 } : { dataDir: dataDir ?? '' });
const actor = { firmId, subject: 'bench@import', roles: ['operator'] };

async function once(): Promise<{ rows: number; seconds: number; rowsPerSecond: number; statements: number; changedRows: number }> {
  const statements = database.statements();
  const t0 = performance.now();
  const read = readImportFiles(await importSources([folder as string]), firmId as string);
  const result = await importRows(database.db, read.rows, { actor, files: read.files });
  const seconds = (performance.now() - t0) / 1000;
  if (!result.ok) throw new Error(`import refused: ${JSON.stringify(result.problems.slice(0, 3))}`);
  const changedRows = result.changes.reduce((n, c) => n + c.upserted, 0);
  return { rows: result.rows, seconds, rowsPerSecond: result.rows / seconds, statements: database.statements() - statements, changedRows };
}

try {
  const first = await once();
  const again = await once();
  process.stdout.write(`${JSON.stringify({ driver: database.driver, first, again, peakRssMB: process.resourceUsage().maxRSS / 1024 })}\n`);
} finally {
  await database.close();
}
