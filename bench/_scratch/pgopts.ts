import { readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
const rss = () => Math.round(Number(/VmRSS:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]) / 1024);
const mode = process.argv[2] ?? 'default';
const dbs: PGlite[] = [];
const t0 = performance.now();
for (let i = 0; i < 7; i++) {
  const opts = mode === 'small' ? { startParams: [...PGlite.defaultStartParams, '-c', 'shared_buffers=8MB'] } : {};
  dbs.push(await PGlite.create(opts));
  await dbs[i]?.exec('create table t(x int); insert into t select generate_series(1,1000);');
}
console.log(mode, 'rss after 7:', rss(), 'MB', Math.round(performance.now() - t0), 'ms');
for (const d of dbs) await d.close();
