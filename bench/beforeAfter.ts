/**
 * The cost of a change on the genealogy benchmark, before and after, in the same run: the
 * demo cluster of an earlier revision (checked out as a git worktree beside this one, sharing
 * its node_modules) and of this tree, each started in a fresh child process
 * (lib/genealogyProbe.ts), alternating base / head / head / base ... so that both see the same
 * machine. Reports p50/p95/mean of the lead planner's genealogy walk (first 5 and first 20),
 * the firm requests and SQL statements of one query on each side, and head / base ratios.
 *
 *   node bin/run.mjs bench/beforeAfter.ts [--base <revision>] [--rounds 3] [--iterations 100]
 *
 * The default base is the last commit before the security work of issue 8.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from './lib/child.js';
import type { ProbeCase } from './lib/genealogyProbe.js';
import { writeResult } from './lib/results.js';
import { round, roundSummary, summarize } from './lib/stats.js';
import { printTable } from './lib/table.js';

const DEFAULT_BASE = 'fb70f50';

const { values } = parseArgs({ options: { base: { type: 'string' }, rounds: { type: 'string' }, iterations: { type: 'string' } } });
const base = values.base ?? DEFAULT_BASE;
const rounds = Number(values.rounds ?? 3);
const iterations = Number(values.iterations ?? 100);
const started = performance.now();

const git = (...args: string[]): string => execFileSync('git', args, { cwd: PROJECT_ROOT, encoding: 'utf8' }).trim();
const baseCommit = git('rev-parse', '--short', base);
const headCommit = git('rev-parse', '--short', 'HEAD');
const dirty = git('status', '--porcelain', '--untracked-files=no') !== '';

/** A worktree of the base revision beside this tree, with this tree's node_modules. */
function baseTree(): string {
  const dir = join(tmpdir(), `dataspace-base-${baseCommit}`);
  if (!existsSync(dir)) git('worktree', 'add', '--detach', dir, baseCommit);
  const modules = join(dir, 'node_modules');
  if (!existsSync(modules)) symlinkSync(join(PROJECT_ROOT, 'node_modules'), modules, 'dir');
  return dir;
}

function probe(root: string): Promise<ProbeCase[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/run.mjs', 'bench/lib/genealogyProbe.ts', '--root', root, '--iterations', String(iterations)], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, APOLLO_TELEMETRY_DISABLED: 'true' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('{"root"'));
      if (code !== 0 || !line) reject(new Error(`probe of ${root} exited ${code}: ${out.slice(-500)}`));
      else resolve((JSON.parse(line) as { cases: ProbeCase[] }).cases);
    });
  });
}

const trees = { base: baseTree(), head: PROJECT_ROOT };
const runs: Record<'base' | 'head', ProbeCase[][]> = { base: [], head: [] };
for (let r = 0; r < rounds; r++) {
  const order: ('base' | 'head')[] = r % 2 === 0 ? ['base', 'head'] : ['head', 'base'];
  for (const side of order) {
    console.log(`round ${r + 1}/${rounds}: ${side} (${side === 'base' ? baseCommit : headCommit})`);
    runs[side].push(await probe(trees[side]));
  }
}

const names = runs.head[0]?.map((c) => c.name) ?? [];
const cases = names.map((name) => {
  const pick = (side: 'base' | 'head') => runs[side].map((run) => run.find((c) => c.name === name) as ProbeCase);
  const summary = (side: 'base' | 'head') => summarize(pick(side).flatMap((c) => c.samplesMs));
  const b = summary('base');
  const h = summary('head');
  const first = (side: 'base' | 'head') => pick(side)[0] as ProbeCase;
  return {
    name,
    base: { ...roundSummary(b), firmRequests: first('base').firmRequests, statements: first('base').statements, lots: first('base').lots },
    head: { ...roundSummary(h), firmRequests: first('head').firmRequests, statements: first('head').statements, lots: first('head').lots },
    ratioP50: round(h.p50 / b.p50),
    ratioMean: round(h.mean / b.mean),
    /** p50 of each probe process, to show the spread between processes. */
    probeP50s: { base: pick('base').map((c) => round(summarize(c.samplesMs).p50)), head: pick('head').map((c) => round(summarize(c.samplesMs).p50)) },
  };
});

printTable(
  ['query', 'base p50', 'head p50', 'head/base p50', 'base p95', 'head p95', 'mean ratio', 'requests b/h', 'statements b/h', 'lot ids b/h'],
  cases.map((c) => [
    c.name,
    c.base.p50,
    c.head.p50,
    c.ratioP50,
    c.base.p95,
    c.head.p95,
    c.ratioMean,
    `${c.base.firmRequests}/${c.head.firmRequests}`,
    `${c.base.statements}/${c.head.statements}`,
    `${c.base.lots}/${c.head.lots}`,
  ]),
);
writeResult('beforeAfter', started, { base: baseCommit, head: headCommit, headHasUncommittedChanges: dirty, rounds, iterations, cases });
