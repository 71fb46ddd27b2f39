import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { fileURLToPath } from 'node:url';

/** The project root: where `bin/dataspace.mjs` lives and the children run. */
export const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Extra environment of a child: a value sets a variable, `undefined` removes it. */
export type ChildEnv = Readonly<Record<string, string | undefined>>;

/** How a child process ended. */
export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A `dataspace` command running as a child process. */
export interface DataspaceProcess {
  /** A short name for messages (`firm structura`). */
  readonly name: string;
  readonly child: ChildProcess;
  readonly pid: number;
  /** Everything the child wrote so far. */
  stdout(): string;
  stderr(): string;
  /** Whether the child is still running. */
  running(): boolean;
  /** Settles when the child ends. */
  readonly exited: Promise<ChildExit>;
  /** Resolves with the first stdout line matching `pattern`; rejects if the child ends first or on timeout. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** SIGTERM, then SIGKILL after `graceMs` (default 3 s); resolves when the child has ended. */
  stop(graceMs?: number): Promise<ChildExit>;
}

function childEnv(extra: ChildEnv): NodeJS.ProcessEnv {
  // A child gets only the database it is given: never the test run's admin DATABASE_URL.
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: undefined, APOLLO_TELEMETRY_DISABLED: 'true' };
  for (const [key, value] of Object.entries(extra)) env[key] = value;
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
  return env;
}

/**
 * Starts `node bin/dataspace.mjs <args>` in the project root (APOLLO_TELEMETRY_DISABLED=true).
 * @example const registry = spawnDataspace('registry', ['registry', '--config', file]);
 * await registry.waitForLine(/^registry serves/);
 */
export function spawnDataspace(name: string, args: readonly string[], env: ChildEnv = {}): DataspaceProcess {
  const child = spawn(process.execPath, ['bin/dataspace.mjs', ...args], {
    cwd: PROJECT_ROOT,
    env: childEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`${name}: the process did not start`);
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  let ended: ChildExit | undefined;
  const exited = new Promise<ChildExit>((resolve) => {
    child.once('close', (code, signal) => {
      ended = { code, signal };
      resolve(ended);
    });
  });
  const describe = (): string => `${name} (pid ${child.pid}); stdout:\n${out}\nstderr:\n${err}`;

  const waitForLine = (pattern: RegExp, timeoutMs = 30_000): Promise<string> =>
    new Promise<string>((resolve, reject) => {
      const check = (): boolean => {
        const line = out.split('\n').find((l) => pattern.test(l));
        if (line === undefined) return false;
        done();
        resolve(line);
        return true;
      };
      const onData = (): void => void check();
      const onExit = (): void => {
        if (check()) return;
        done();
        reject(new Error(`${describe()}\nended (${JSON.stringify(ended)}) before printing ${pattern}`));
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`${describe()}\nprinted no line matching ${pattern} within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.off('close', onExit);
      };
      if (check()) return;
      if (ended) return onExit();
      child.stdout?.on('data', onData);
      child.once('close', onExit);
    });

  const stop = async (graceMs = 3_000): Promise<ChildExit> => {
    if (ended) return ended;
    child.kill('SIGTERM');
    const timer = setTimeout(() => {
      if (!ended) child.kill('SIGKILL');
    }, graceMs);
    const result = await exited;
    clearTimeout(timer);
    return result;
  };

  return {
    name,
    child,
    pid: child.pid,
    stdout: () => out,
    stderr: () => err,
    running: () => ended === undefined,
    exited,
    waitForLine,
    stop,
  };
}

/** The outcome of a `dataspace` command that is expected to end by itself. */
export interface DataspaceRun extends ChildExit {
  stdout: string;
  stderr: string;
}

/**
 * Runs a `dataspace` command to its end (killed after `timeoutMs`).
 * @example const r = await runDataspace(['registry']); r.code; // 2
 */
export async function runDataspace(args: readonly string[], env: ChildEnv = {}, timeoutMs = 30_000): Promise<DataspaceRun> {
  const p = spawnDataspace(`dataspace ${args.join(' ')}`, args, env);
  const timer = setTimeout(() => void p.stop(0), timeoutMs);
  const exit = await p.exited;
  clearTimeout(timer);
  return { ...exit, stdout: p.stdout(), stderr: p.stderr() };
}

/**
 * `count` distinct TCP ports that are free now on 127.0.0.1 (bound together on port 0, then
 * released), for configuration files that must name the endpoints before the servers start.
 */
export async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let i = 0; i < count; i += 1) {
      const server = createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve());
      });
    }
    return servers.map((s) => (s.address() as AddressInfo).port);
  } finally {
    await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }
}

/**
 * Polls `GET <baseUrl>/health` until it answers 200; returns its JSON body.
 * @example await waitForHealth('http://127.0.0.1:4101');
 */
export async function waitForHealth(baseUrl: string, timeoutMs = 30_000): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  for (;;) {
    try {
      const res = await fetch(new URL('/health', baseUrl), { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return (await res.json()) as Record<string, unknown>;
      last = `status ${res.status}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() > deadline) throw new Error(`${baseUrl}/health not ready within ${timeoutMs} ms: ${last}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Calls `probe` until it returns a value that `accept` takes, every `intervalMs`; returns it
 * with the time it took, or throws the last value after `timeoutMs`.
 */
export async function pollUntil<T>(
  probe: () => Promise<T>,
  accept: (value: T) => boolean,
  timeoutMs: number,
  intervalMs = 100,
): Promise<{ value: T; elapsedMs: number }> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (accept(value)) return { value, elapsedMs: Date.now() - started };
    if (Date.now() - started > timeoutMs) throw new Error(`not reached within ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
