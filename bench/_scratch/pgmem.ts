import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openFirmDatabase } from '../../subgraphs/firm/db/openFirmDatabase.js';
import { generateCluster } from '../../seed/generateCluster.js';
import { insertFirmSeed } from '../../seed/insertSeed.js';
import { DEMO_TOPOLOGY } from '../../demo/topology.js';
const rss = () => Math.round(Number(/VmRSS:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]) / 1024);
const dir = mkdtempSync(join(tmpdir(), 'pgmem-'));
console.log('baseline rss', rss(), 'heap', Math.round(process.memoryUsage().heapUsed / 2 ** 20));
const seed = generateCluster(DEMO_TOPOLOGY, { seed: 42, lotsPerFirm: 40 });
const dbs = [];
for (const m of DEMO_TOPOLOGY.members) {
  const t0 = performance.now();
  const d = await openFirmDatabase(process.argv[2] === 'mem' ? {} : { dataDir: join(dir, m.id) });
  const t1 = performance.now();
  const fs = seed.firms[m.id];
  if (fs) await insertFirmSeed(d.db, fs);
  const t2 = performance.now();
  dbs.push(d);
  console.log(m.id, 'open+migrate ms', Math.round(t1 - t0), 'seed ms', Math.round(t2 - t1), 'rss', rss());
}
for (const d of dbs) await d.close();
rmSync(dir, { recursive: true, force: true });
