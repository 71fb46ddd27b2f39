import type { Relationship } from '../../../cluster/relationship.js';
import { aggregateAccess, type AggregateAccess, type AggregateAsk } from '../../../policies/aggregateAccess.js';
import { releaseTable } from '../../../policies/aggregateRelease.js';
import { aggregateScope } from '../../../policies/aggregateScope.js';
import { decideAccess } from '../../../policies/decideAccess.js';
import { matchesRow } from '../../../policies/matchesRow.js';
import type { EffectivePolicy } from '../../../policies/policyFile.js';
import { rollUpCells, type FieldStats, type ReleasedCell, type RolledUpGroup } from '../../../policies/rollUpCells.js';
import { caller, model, NOW } from './policyFixtures.js';

export type Row = Record<string, string | number | null>;

/** Who asks: a firm, its relationships to the owner, the token's roles and purpose. */
export interface Asker {
  firm: string;
  relationships?: Relationship[];
  roles: string[];
  purpose?: string;
}

/** An answer as `Firm.aggregate` gives it, or the refusal. */
export type Answer = { allowed: true; minGroupSize: number; groups: RolledUpGroup[]; suppressedGroups: number } | { allowed: false; reason: string };

/** The verdict for a request on QualityInspection, exactly as the firm subgraph computes it (`RequestAccess.aggregate`). */
export function verdict(policy: EffectivePolicy, who: Asker, ask: AggregateAsk): AggregateAccess {
  const c = caller(who.firm, who.roles);
  if (who.purpose) c.purpose = who.purpose;
  const request = { caller: c, relationships: who.relationships ?? ['member'], type: 'QualityInspection', now: NOW };
  return aggregateAccess(decideAccess(policy, model, request), releaseTable(decideAccess(aggregateScope(policy), model, request)), ask);
}

const stats = (rows: readonly Row[], field: string): FieldStats => {
  const values = rows.map((r) => r[field]).filter((v): v is number => typeof v === 'number');
  return values.length === 0
    ? { count: 0, sum: null, min: null, max: null }
    : { count: values.length, sum: values.reduce((a, b) => a + b, 0), min: Math.min(...values), max: Math.max(...values) };
};

/**
 * What the database does for an allowed request (`releasedCells`), in memory: the rows of
 * the verdict's filter grouped into the release table's cells (its fields, then its hidden
 * keys), only cells of at least k rows released, each with the request's keys and stats.
 */
export function releasedCellsOf(rows: readonly Row[], access: Extract<AggregateAccess, { allowed: true }>, ask: AggregateAsk): { cells: ReleasedCell[]; suppressed: number } {
  const filter = access.rowFilter;
  const covered = filter === 'none' ? [] : rows.filter((r) => filter === null || matchesRow(filter, r));
  const cells = new Map<string, Row[]>();
  for (const r of covered) {
    const id = JSON.stringify([...access.cells.groupBy.map((f) => r[f] ?? null), ...access.cells.hiddenKeys.map((h) => matchesRow(h, r))]);
    cells.set(id, [...(cells.get(id) ?? []), r]);
  }
  const measured = [...new Set(ask.measures.flatMap((m) => (m.fn !== 'count' && m.field ? [m.field] : [])))];
  const released = [...cells.values()]
    .filter((c) => c.length >= access.minGroupSize)
    .map((c) => ({
      key: ask.groupBy.map((f) => (c[0]?.[f] === null || c[0]?.[f] === undefined ? null : String(c[0][f]))),
      n: c.length,
      stats: Object.fromEntries(measured.map((f) => [f, stats(c, f)])),
    }))
    .sort((a, b) => (JSON.stringify(a.key) < JSON.stringify(b.key) ? -1 : 1));
  return { cells: released, suppressed: cells.size - released.length };
}

/** `Firm.aggregate` over these rows, in memory: verdict, released cells, roll-up. */
export function answer(policy: EffectivePolicy, rows: readonly Row[], who: Asker, ask: AggregateAsk): Answer {
  const access = verdict(policy, who, ask);
  if (!access.allowed) return access;
  const { cells, suppressed } = releasedCellsOf(rows, access, ask);
  return { allowed: true, minGroupSize: access.minGroupSize, groups: rollUpCells(cells, ask), suppressedGroups: suppressed };
}

/** Every subset of a list, the empty one first. */
export function subsets<T>(items: readonly T[]): T[][] {
  return items.reduce<T[][]>((all, item) => all.concat(all.map((s) => [...s, item])), [[]]);
}
