/**
 * Demo startup: `dataspace demo --port 0 --json` as a child process on a fresh data folder.
 * Cold start (creates 7 PGlite databases, migrates, seeds, writes keys) and warm restart on
 * the same folder (data survives), time to the JSON line, the child's memory after one
 * query, and whether the same lots come back after the restart.
 *
 *   node bin/run.mjs bench/demoStartup.ts     (~1 min on 2 cores)
 */
process.env.APOLLO_TELEMETRY_DISABLED = 'true';

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { postGraphQL } from '../test/harness/graphqlClient.js';
import { GENEALOGY_QUERY } from '../test/harness/queries.js';
import { firstLine, memoryOf, runDataspace, spawnDataspace, stopChild } from './lib/child.js';
import { writeResult } from './lib/results.js';
import { round } from './lib/stats.js';
import { printTable } from './lib/table.js';

export interface StartRun {
  kind: 'cold' | 'warm';
  /** Spawn → the JSON line on stdout, seconds. */
  startSeconds: number;
  /** Wall time of the first query (genealogy, first 5) after start, ms. */
  firstQueryMs: number;
  /** The child's resident memory after that query, and its peak so far, MB. */
  rssMB: number;
  peakRssMB: number;
  /** Distinct lot ids in the answer. */
  lotIds: number;
  /** SIGTERM → exit, ms, and the exit code. */
  stopMs: number;
  exit: string;
}

interface DemoLine {
  gateway: string;
}

function parseDemoLine(line: string): DemoLine | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(line);
    if (typeof value === 'object' && value !== null && 'gateway' in value && typeof value.gateway === 'string') return { gateway: value.gateway };
  } catch {
    return undefined;
  }
  return undefined;
}

function lotIdsOf(data: unknown): string[] {
  const ids = new Set<string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (typeof v === 'object' && v !== null) {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'lotId' && typeof x === 'string') ids.add(x);
        else walk(x);
      }
    }
  };
  walk(data);
  return [...ids].sort();
}

async function startOnce(kind: StartRun['kind'], dataDir: string, token: () => Promise<string>): Promise<{ run: StartRun; lots: string[] }> {
  const env = { DATASPACE_DATA_DIR: dataDir };
  const t0 = performance.now();
  const child = spawnDataspace(['demo', '--port', '0', '--json'], env);
  try {
    const line = await firstLine(child, parseDemoLine, 110_000);
    const startSeconds = (performance.now() - t0) / 1000;
    const bearer = await token();
    const q0 = performance.now();
    const r = await postGraphQL(line.gateway, GENEALOGY_QUERY, { token: bearer, variables: { first: 5 } });
    const firstQueryMs = performance.now() - q0;
    if (r.status !== 200 || !r.data) throw new Error(`${kind}: query answered ${r.status} ${JSON.stringify(r.errors).slice(0, 300)}`);
    const lots = lotIdsOf(r.data);
    const pid = child.pid;
    if (pid === undefined) throw new Error('child has no pid');
    const memory = memoryOf(pid);
    const stopped = await stopChild(child);
    return {
      lots,
      run: {
        kind,
        startSeconds: round(startSeconds, 2),
        firstQueryMs: round(firstQueryMs, 1),
        rssMB: memory.rssMB,
        peakRssMB: memory.peakMB,
        lotIds: lots.length,
        stopMs: round(stopped.ms, 0),
        exit: stopped.exit,
      },
    };
  } finally {
    await stopChild(child);
  }
}

export async function demoStartup(): Promise<{ runs: StartRun[]; tokenSeconds: number; dataSurvived: boolean }> {
  const started = performance.now();
  const dataDir = mkdtempSync(join(tmpdir(), 'dataspace-bench-'));
  console.log(`demoStartup: node bin/dataspace.mjs demo --port 0 --json, DATASPACE_DATA_DIR=${dataDir}`);
  let tokenSeconds = 0;
  const token = async (): Promise<string> => {
    const t0 = performance.now();
    const out = (await runDataspace(['token', '--firm', 'skyframe'], { DATASPACE_DATA_DIR: dataDir })).trim();
    tokenSeconds = (performance.now() - t0) / 1000;
    return out;
  };
  try {
    const cold = await startOnce('cold', dataDir, token);
    console.log(`cold start ${cold.run.startSeconds} s`);
    const warm = await startOnce('warm', dataDir, token);
    console.log(`warm start ${warm.run.startSeconds} s`);
    const dataSurvived = cold.lots.length > 0 && JSON.stringify(cold.lots) === JSON.stringify(warm.lots);
    const runs = [cold.run, warm.run];
    printTable(
      ['start', 'start s', '1st query ms', 'RSS MB', 'peak RSS MB', 'lot ids', 'SIGTERM→exit ms', 'exit'],
      runs.map((r) => [r.kind, r.startSeconds, r.firstQueryMs, r.rssMB, r.peakRssMB, r.lotIds, r.stopMs, r.exit]),
      'Demo startup (child process, 7 firms on PGlite files, lotsPerFirm=40)',
    );
    console.log(`\nwarm/cold start ratio ${round(warm.run.startSeconds / cold.run.startSeconds)}; token command ${round(tokenSeconds, 2)} s; same lot ids after restart: ${dataSurvived}`);
    writeResult('demoStartup', started, { runs, tokenSeconds: round(tokenSeconds, 2), dataSurvived, firstLots: cold.lots.slice(0, 5) });
    return { runs, tokenSeconds, dataSurvived };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { dataSurvived, runs } = await demoStartup();
  process.exitCode = dataSurvived && runs.every((r) => r.exit === '0') ? 0 : 1;
}
