import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const SOURCE_FOLDERS = ['cli', 'cluster', 'config', 'demo', 'gateway', 'http', 'identity', 'limits', 'local', 'policies', 'router', 'routing', 'schema', 'seed', 'spc', 'subgraphs'];

function sourceFiles(dir: string): string[] {
  let out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out = out.concat(sourceFiles(path));
    else if (name.endsWith('.ts')) out.push(path);
  }
  return out;
}

/** Project files → the project files they import (relative imports only). */
function importGraph(): Map<string, { file: string; typeOnly: boolean }[]> {
  const graph = new Map<string, { file: string; typeOnly: boolean }[]>();
  const files = SOURCE_FOLDERS.flatMap((f) => {
    try {
      return sourceFiles(join(ROOT, f));
    } catch {
      return [];
    }
  });
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const edges: { file: string; typeOnly: boolean }[] = [];
    for (const m of text.matchAll(/^(import|export)\s+(type\s+)?[^'";]*?from\s+'(\.[^']+)'/gm)) {
      const target = resolve(dirname(file), (m[3] ?? '').replace(/\.js$/, '.ts'));
      edges.push({ file: relative(ROOT, target), typeOnly: Boolean(m[2]) });
    }
    graph.set(relative(ROOT, file), edges);
  }
  return graph;
}

const folderOf = (file: string): string => file.split('/')[0] ?? '';

describe('the boundaries that keep the house easy to change', () => {
  const graph = importGraph();

  it('has no import cycles', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'visiting' | 'done'>();
    const stack: string[] = [];
    const visit = (file: string): void => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'visiting') {
        cycles.push([...stack.slice(stack.indexOf(file)), file].join(' → '));
        return;
      }
      state.set(file, 'visiting');
      stack.push(file);
      for (const e of graph.get(file) ?? []) if (!e.typeOnly) visit(e.file);
      stack.pop();
      state.set(file, 'done');
    };
    for (const file of graph.keys()) visit(file);
    expect(cycles).toEqual([]);
  });

  it('keeps gateway/ and subgraphs/ apart: they meet only through the schema and the wire', () => {
    const crossings = [...graph].flatMap(([file, edges]) =>
      edges
        .filter((e) => (folderOf(file) === 'gateway' && folderOf(e.file) === 'subgraphs') || (folderOf(file) === 'subgraphs' && folderOf(e.file) === 'gateway'))
        .map((e) => `${file} → ${e.file}`),
    );
    expect(crossings).toEqual([]);
  });

  it('keeps policies/ pure: it imports only the model types and itself', () => {
    const allowedTypes = new Set(['schema/model.ts', 'cluster/relationship.ts', 'identity/caller.ts']);
    const bad = [...graph]
      .filter(([file]) => folderOf(file) === 'policies')
      .flatMap(([file, edges]) =>
        edges.filter((e) => folderOf(e.file) !== 'policies' && !(allowedTypes.has(e.file) && (e.typeOnly || e.file === 'cluster/relationship.ts'))).map((e) => `${file} → ${e.file}`),
      );
    expect(bad).toEqual([]);
    const io = [...graph.keys()]
      .filter((f) => folderOf(f) === 'policies' && !/load(PolicyFile|ClusterTerms)\.ts$/.test(f))
      .filter((f) => /from 'node:(fs|net|http|child_process)'/.test(readFileSync(join(ROOT, f), 'utf8')));
    expect(io).toEqual([]);
  });

  it('keeps the directory model (cluster/) apart from what runs a cluster: only local/ starts one in a process', () => {
    const runners = new Set(['gateway', 'subgraphs', 'router', 'local', 'seed', 'cli']);
    const bad = [...graph].filter(([file]) => folderOf(file) === 'cluster').flatMap(([file, edges]) => edges.filter((e) => runners.has(folderOf(e.file))).map((e) => `${file} → ${e.file}`));
    expect(bad).toEqual([]);
  });

  it('keeps spc/ pure: the statistics import nothing but themselves', () => {
    const bad = [...graph].filter(([file]) => folderOf(file) === 'spc').flatMap(([file, edges]) => edges.filter((e) => folderOf(e.file) !== 'spc').map((e) => `${file} → ${e.file}`));
    expect(bad).toEqual([]);
    const io = [...graph.keys()].filter((f) => folderOf(f) === 'spc').filter((f) => /from 'node:/.test(readFileSync(join(ROOT, f), 'utf8')));
    expect(io).toEqual([]);
  });

  it('keeps the routing core independent of @apollo/gateway', () => {
    const bad = [...graph.keys()]
      .filter((f) => folderOf(f) === 'routing')
      .filter((f) => /from '@apollo\/gateway'/.test(readFileSync(join(ROOT, f), 'utf8')));
    expect(bad).toEqual([]);
  });

  it('keeps schema/ free of storage: the contract knows nothing of how a firm stores its rows', () => {
    const bad = [...graph].filter(([file]) => folderOf(file) === 'schema').flatMap(([file, edges]) => edges.filter((e) => folderOf(e.file) !== 'schema').map((e) => `${file} → ${e.file}`));
    expect(bad).toEqual([]);
  });
});
