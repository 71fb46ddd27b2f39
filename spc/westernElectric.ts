import { DEFAULT_IN_CONTROL_POINTS } from './ewma.js';
import { inControl } from './inControl.js';
import type { SpcPoint, SpcRule, SpcSignal } from './signal.js';

/** A Western Electric run rule: `count` of the last `window` points beyond `sigmas`·σ on one side. */
interface RunRule {
  rule: SpcRule;
  count: number;
  window: number;
  sigmas: number;
}

/** WE1: 1 beyond 3σ; WE2: 2 of 3 beyond 2σ; WE3: 4 of 5 beyond 1σ; WE4: 8 in a row on one side (beyond 0σ). */
const RULES: readonly RunRule[] = [
  { rule: 'WE1', count: 1, window: 1, sigmas: 3 },
  { rule: 'WE2', count: 2, window: 3, sigmas: 2 },
  { rule: 'WE3', count: 4, window: 5, sigmas: 1 },
  { rule: 'WE4', count: 8, window: 8, sigmas: 0 },
];

/**
 * The four Western Electric rules on individual readings, μ and σ from the first
 * `inControlPoints` points. A rule signals at point i when the window of points ending at i
 * holds `count` points strictly beyond μ ± sigmas·σ on the same side and point i is one of
 * them (the point that completes the pattern). A point may break several rules: one
 * signal per rule, in the order WE1..WE4. `value` is the reading, `limit` μ ± sigmas·σ.
 * @example westernElectric(points, 10).filter((s) => s.rule === 'WE1')
 */
export function westernElectric(
  points: readonly SpcPoint[],
  inControlPoints: number = DEFAULT_IN_CONTROL_POINTS,
): SpcSignal[] {
  const { mean, sigma } = inControl(points, inControlPoints);
  const signals: SpcSignal[] = [];
  points.forEach((p, index) => {
    for (const { rule, count, window, sigmas } of RULES) {
      if (index + 1 < window) continue;
      const last = points.slice(index + 1 - window, index + 1);
      for (const side of [1, -1] as const) {
        const limit = mean + side * sigmas * sigma;
        const beyond = (v: number): boolean => side * (v - limit) > 0;
        if (beyond(p.value) && last.filter((q) => beyond(q.value)).length >= count) {
          signals.push({ index, time: p.time, method: 'WESTERN_ELECTRIC', rule, value: p.value, limit });
        }
      }
    }
  });
  return signals;
}
