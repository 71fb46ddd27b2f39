/**
 * Child process of `bench/load.ts`: the demo cluster as `npm start` runs it (PGlite databases
 * in a data folder — a temporary one here, removed at the end — so that the access logs the
 * load appends go to disk, not into memory) with
 * rate limits raised out of the way, so that the load measures the cluster and not the
 * limiter (which still runs on every request). Prints one JSON line
 * `{ gateway, token }`, then answers each `gc` line on stdin with a JSON line of its memory
 * after a full collection (run with `--expose-gc`).
 *
 *   node --expose-gc bin/run.mjs bench/lib/loadCluster.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { startCluster } from '../../local/startCluster.js';
import { demoClusterOptions } from '../../demo/demoCluster.js';

/** A rate limit no benchmark reaches: the limiter runs, but never refuses. */
const HIGH_RATE = { rateLimit: { requestsPerSecond: 1_000_000, burst: 1_000_000 } };

const dataDir = mkdtempSync(join(tmpdir(), 'dataspace-load-'));
const cluster = await startCluster(
  demoClusterOptions({ dataDir, port: 0, log: () => undefined, limits: { gateway: HIGH_RATE, subgraphs: HIGH_RATE } }),
);
process.stdout.write(`${JSON.stringify({ gateway: cluster.gatewayUrl, token: cluster.token('skyframe', { ttlSeconds: 3600 }) })}\n`);

const gc = (globalThis as { gc?: () => void }).gc;
createInterface({ input: process.stdin }).on('line', (line) => {
  if (line.trim() !== 'gc') return;
  gc?.();
  const m = process.memoryUsage();
  process.stdout.write(`${JSON.stringify({ gc: gc !== undefined, rssMB: m.rss / 2 ** 20, heapUsedMB: m.heapUsed / 2 ** 20, externalMB: m.external / 2 ** 20 })}\n`);
});
const stop = async (): Promise<void> => {
  await cluster.stop();
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(0);
};
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());
