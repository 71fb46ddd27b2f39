import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { PROJECT_ROOT } from './child.js';
import type { ChildMessage, ParentMessage, ServerSpec } from './serverProtocol.js';
import type { LakeRequestCounts } from '../lake/plainSubgraph.js';

/** A server running in its own process (serverProcess.ts). */
export interface ServerProcess {
  url: string;
  pid: number;
  /** For a firm: fetch the directory from the registry (after the registry lists every endpoint). */
  ready(): Promise<void>;
  /** SQL statements its database ran and GraphQL requests it served, so far. */
  stats(): Promise<{ statements: number; counts: LakeRequestCounts }>;
  /** Resident set size of the process, in MB (from /proc). */
  rssMb(): number;
  stop(): Promise<void>;
}

function reply<T extends ChildMessage['type']>(child: ChildProcess, type: T, timeoutMs: number): Promise<Extract<ChildMessage, { type: T }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`server process ${child.pid}: no '${type}' within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (raw: unknown): void => {
      const m = raw as ChildMessage;
      if (m.type === 'error') finish(new Error(`server process ${child.pid}: ${m.message}`));
      else if (m.type === type) finish(undefined, m as Extract<ChildMessage, { type: T }>);
    };
    const onExit = (code: number | null): void => finish(new Error(`server process ${child.pid} exited (${code}) before '${type}'`));
    const finish = (error: Error | undefined, value?: Extract<ChildMessage, { type: T }>): void => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(value as Extract<ChildMessage, { type: T }>);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

function rssOf(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return Math.round(kb / 1024);
  } catch {
    return 0;
  }
}

/**
 * Forks `node bin/run.mjs bench/lib/serverProcess.ts`, starts `spec` in it and resolves
 * once it listens. The child dies with this process (IPC disconnect).
 * @example const firm = await spawnServer({ kind: 'plain', firmIds: ['skyframe'], topology, seed });
 */
export async function spawnServer(spec: ServerSpec): Promise<ServerProcess> {
  const child = fork('bin/run.mjs', ['bench/lib/serverProcess.ts'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, APOLLO_TELEMETRY_DISABLED: 'true' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ask = (message: ParentMessage): void => void child.send(message);
  const listening = reply(child, 'listening', 120_000);
  ask({ type: 'start', spec });
  const { url } = await listening;
  return {
    url,
    pid: child.pid ?? 0,
    async ready() {
      const ready = reply(child, 'ready', 60_000);
      ask({ type: 'directory' });
      await ready;
    },
    async stats() {
      const stats = reply(child, 'stats', 10_000);
      ask({ type: 'stats' });
      const { statements, counts } = await stats;
      return { statements, counts };
    },
    rssMb: () => rssOf(child.pid ?? 0),
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      ask({ type: 'stop' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
