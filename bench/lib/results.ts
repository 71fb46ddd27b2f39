import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';

/** Where the benchmarks write their JSON results. */
export const RESULTS_DIR = fileURLToPath(new URL('../results/', import.meta.url));

/** The machine a result was measured on. */
export interface MachineInfo {
  date: string;
  node: string;
  platform: string;
  cpus: number;
  cpuModel: string;
  memoryGB: number;
  /** 1-minute load average when the result was written (other work on the machine skews timings). */
  loadAverage1m: number;
}

export function machineInfo(): MachineInfo {
  const list = cpus();
  return {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpus: list.length,
    cpuModel: list[0]?.model ?? 'unknown',
    memoryGB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    loadAverage1m: Math.round((loadavg()[0] ?? 0) * 100) / 100,
  };
}

/** Writes `bench/results/<name>.json` with the machine and the wall time of the run. */
export function writeResult(name: string, startedMs: number, result: object): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = `${RESULTS_DIR}${name}.json`;
  const body = { benchmark: name, machine: machineInfo(), durationSeconds: Math.round((performance.now() - startedMs) / 100) / 10, ...result };
  writeFileSync(file, `${JSON.stringify(body, null, 2)}\n`);
  console.log(`\nwrote ${file} (${body.durationSeconds} s)`);
  return file;
}
