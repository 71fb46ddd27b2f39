/** Summary statistics of a list of samples (milliseconds unless said otherwise). */
export interface Summary {
  n: number;
  mean: number;
  p50: number;
  p95: number;
  min: number;
  max: number;
}

/** The p-th percentile (0..100) of sorted samples, by linear interpolation between ranks. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const a = sorted[lo] ?? Number.NaN;
  const b = sorted[hi] ?? a;
  return a + (b - a) * (rank - lo);
}

/** n, mean, p50, p95, min and max of samples. */
export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((x, y) => x - y);
  const sum = sorted.reduce((s, x) => s + x, 0);
  return {
    n: sorted.length,
    mean: sorted.length ? sum / sorted.length : Number.NaN,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    min: sorted[0] ?? Number.NaN,
    max: sorted[sorted.length - 1] ?? Number.NaN,
  };
}

/** Runs `fn` `iterations` times, one after the other, and returns each wall time in ms. */
export async function timeSequential(iterations: number, fn: () => Promise<void>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  return samples;
}

/** Rounds for display and JSON: `round(1.23456, 2)` → 1.23. */
export function round(x: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** A summary with every value rounded. */
export function roundSummary(s: Summary, digits = 2): Summary {
  return {
    n: s.n,
    mean: round(s.mean, digits),
    p50: round(s.p50, digits),
    p95: round(s.p95, digits),
    min: round(s.min, digits),
    max: round(s.max, digits),
  };
}
