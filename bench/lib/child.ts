import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The project root (where `bin/` is). */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Starts `node bin/dataspace.mjs <args>` in the project root with extra environment. */
export function spawnDataspace(args: readonly string[], env: Record<string, string>): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['bin/dataspace.mjs', ...args], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, APOLLO_TELEMETRY_DISABLED: 'true', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/**
 * Resolves with the first stdout line for which `accept` returns a value; rejects when the
 * child exits first or after `timeoutMs`. Keeps collecting stderr for the error message.
 */
export function firstLine<T>(child: ChildProcessWithoutNullStreams, accept: (line: string) => T | undefined, timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const done = (): void => {
      clearTimeout(timer);
      child.stdout.off('data', onOut);
      child.stderr.off('data', onErr);
      child.off('exit', onExit);
    };
    const onOut = (chunk: Buffer): void => {
      out += chunk.toString('utf8');
      let nl = out.indexOf('\n');
      while (nl >= 0) {
        const line = out.slice(0, nl);
        out = out.slice(nl + 1);
        const value = accept(line);
        if (value !== undefined) {
          done();
          resolve(value);
          return;
        }
        nl = out.indexOf('\n');
      }
    };
    const onErr = (chunk: Buffer): void => {
      err += chunk.toString('utf8');
    };
    const onExit = (code: number | null): void => {
      done();
      reject(new Error(`child exited (${code}) before the expected output; stderr: ${err.slice(-2000)}`));
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`no expected output within ${timeoutMs} ms; stderr: ${err.slice(-2000)}`));
    }, timeoutMs);
    child.stdout.on('data', onOut);
    child.stderr.on('data', onErr);
    child.on('exit', onExit);
  });
}

/** Sends SIGTERM and waits for the exit; SIGKILL after `graceMs`. Returns the exit code (or signal) and the wait in ms. */
export async function stopChild(child: ChildProcessWithoutNullStreams, graceMs = 15_000): Promise<{ exit: string; ms: number }> {
  if (child.exitCode !== null || child.signalCode !== null) return { exit: String(child.exitCode ?? child.signalCode), ms: 0 };
  const t0 = performance.now();
  const exited = new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve(code === null ? String(signal) : String(code))));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  const exit = await exited;
  clearTimeout(timer);
  return { exit, ms: performance.now() - t0 };
}

/** A process's resident set (VmRSS) and peak (VmHWM), in MB, from /proc (Linux). */
export function memoryOf(pid: number): { rssMB: number; peakMB: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string): number => Number(/(\d+)\s*kB/.exec(status.split('\n').find((l) => l.startsWith(`${key}:`)) ?? '')?.[1] ?? Number.NaN);
  return { rssMB: Math.round(kb('VmRSS') / 102.4) / 10, peakMB: Math.round(kb('VmHWM') / 102.4) / 10 };
}

/** Runs `node bin/dataspace.mjs <args>` to completion and returns its stdout; throws on a non-zero exit. */
export async function runDataspace(args: readonly string[], env: Record<string, string>): Promise<string> {
  const child = spawnDataspace(args, env);
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  if (code !== 0) throw new Error(`dataspace ${args.join(' ')} exited ${code}: ${err.slice(-1000)}`);
  return out;
}
