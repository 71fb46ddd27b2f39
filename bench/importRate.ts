/**
 * Import rate (issue 9): `dataspace import` of a firm's history as CSV files, 1,000,000 rows by
 * default in a realistic mix across the tables (lib/generateImportCsv.ts: lots with their
 * runs, components (a supplier's, key-only, and the firm's own earlier lots), inspections,
 * anomalies, shipments, orders, confirmations, parts with BOMs and stock), into a fresh
 * database: PostgreSQL (DATABASE_URL: a database created and dropped here) and the embedded
 * database (a PGlite directory on disk). Each import runs in a process of its own
 * (lib/importProbe.ts, the command's own path: streaming CSV parse, validation, duplicate and
 * reference checks, batched upserts, all in one transaction, the write log entry) and is
 * then run again on the same files (an upsert that changes nothing). Reports rows per second,
 * seconds, SQL statements and the process's peak RSS: the rows are streamed, and what grows
 * with them is their keys, kept for the duplicate and reference checks.
 *
 *   [DATABASE_URL=postgres://…] node bin/run.mjs bench/importRate.ts [rows]
 *   (default 1,000,000 rows; ~2 min on PostgreSQL, longer on PGlite, on 2 cores)
 */
process.env.APOLLO_TELEMETRY_DISABLED = 'true';

import { spawn } from 'node:child_process';
import { mkdtemp, rm, stat, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '../test/harness/createTestDatabase.js';
import { PROJECT_ROOT } from './lib/child.js';
import { generateImportCsv } from './lib/generateImportCsv.js';
import { writeResult } from './lib/results.js';
import { round } from './lib/stats.js';
import { printTable } from './lib/table.js';

const FIRM = 'benchfirm';

interface ImportRun {
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  statements: number;
  changedRows: number;
}
interface ProbeResult {
  driver: string;
  first: ImportRun;
  again: ImportRun;
  peakRssMB: number;
}

function probe(folder: string, env: Record<string, string | undefined>, dataDir?: string): Promise<ProbeResult> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete childEnv[k];
    else childEnv[k] = v;
  }
  const child = spawn(process.execPath, ['bin/run.mjs', 'bench/lib/importProbe.ts', folder, FIRM, ...(dataDir ? [dataDir] : [])], { cwd: PROJECT_ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  return new Promise((resolve, reject) =>
    child.once('close', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      if (code !== 0) reject(new Error(`importProbe exited ${code}: ${out}`));
      else resolve(JSON.parse(line) as ProbeResult);
    }),
  );
}

async function main(): Promise<void> {
  const started = performance.now();
  const target = Number(process.argv[2] ?? 1_000_000);
  const dir = await mkdtemp(join(tmpdir(), 'ds-bench-import-'));
  const results: Array<ProbeResult & { label: string }> = [];
  let pg: TestDatabase | undefined;
  try {
    const t0 = performance.now();
    const perFile = await generateImportCsv(dir, FIRM, target);
    const rows = Object.values(perFile).reduce((a, b) => a + b, 0);
    let bytes = 0;
    for (const name of await readdir(dir)) bytes += (await stat(join(dir, name))).size;
    console.log(`generated ${rows} rows in 13 CSV files (${round(bytes / 2 ** 20, 1)} MiB) in ${round((performance.now() - t0) / 1000, 1)} s`);
    if (process.env.DATABASE_URL) {
      pg = await createTestDatabase('postgres');
      results.push({ label: 'PostgreSQL', ...(await probe(dir, { DATABASE_URL: pg.url })) });
    } else console.log('DATABASE_URL not set: PostgreSQL skipped');
    const pgliteDir = await mkdtemp(join(tmpdir(), 'ds-bench-import-pglite-'));
    try {
      results.push({ label: 'PGlite (on disk)', ...(await probe(dir, { DATABASE_URL: undefined }, pgliteDir)) });
    } finally {
      await rm(pgliteDir, { recursive: true, force: true });
    }
    printTable(
      ['database', 'rows', 'import s', 'rows/s', 'statements', 'again s (no change)', 'again rows/s', 'peak RSS MB'],
      results.map((r) => [r.label, r.first.rows, round(r.first.seconds, 1), Math.round(r.first.rowsPerSecond), r.first.statements, round(r.again.seconds, 1), Math.round(r.again.rowsPerSecond), Math.round(r.peakRssMB)]),
    );
    for (const r of results) {
      if (r.first.rows !== rows || r.first.changedRows !== rows || r.again.changedRows !== 0) {
        throw new Error(`${r.label}: ${r.first.rows} rows read, ${r.first.changedRows} written, ${r.again.changedRows} rewritten on the second import (expected ${rows}, ${rows}, 0)`);
      }
    }
    writeResult('importRate', started, { targetRows: target, rows, perFile, csvMiB: round(bytes / 2 ** 20, 1), results });
  } finally {
    await pg?.drop();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
