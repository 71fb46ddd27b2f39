import type { ReleaseTable } from './aggregateRelease.js';
import { anyOf } from './combineFilters.js';
import { callerText, prohibitionReason } from './denialReason.js';
import type { AggregateFunction } from './policyFile.js';
import type { BoundRowFilter } from './rowFilter.js';
import type { AggregateGrant, TypeDecision } from './typeDecision.js';

/** What the caller asks to aggregate: group-by fields and measures (`count` needs no field). */
export interface AggregateAsk {
  groupBy: string[];
  measures: { fn: AggregateFunction; field?: string }[];
}

/** How the cells of the release table are formed: the same for every request of a caller firm on a type. */
export interface CellShape {
  /** The fields the cells are grouped by (the request's `groupBy` is some of them). */
  groupBy: string[];
  /** Further boolean cell keys: does the row match each of these filters. */
  hiddenKeys: BoundRowFilter[];
}

/**
 * The verdict on an aggregate: allowed with k, the rows whose cells it sums (the release
 * table's rows that a covering grant covers: whole cells, since each grant's filter is a
 * cell key) and how cells are formed; or denied.
 */
export type AggregateAccess =
  | { allowed: true; minGroupSize: number; rowFilter: BoundRowFilter | null | 'none'; cells: CellShape; rules: string[] }
  | { allowed: false; reason: string };

function covers(grant: AggregateGrant, ask: AggregateAsk): boolean {
  return (
    ask.groupBy.every((f) => grant.groupBy.has(f)) &&
    ask.measures.every((m) => grant.functions.has(m.fn) && (m.field === undefined || grant.measures.has(m.field)))
  );
}

function describeAsk(ask: AggregateAsk): string {
  const measures = ask.measures.map((m) => `${m.fn}${m.field ? `(${m.field})` : ''}`).join(', ');
  return `${measures || 'nothing'}${ask.groupBy.length > 0 ? ` by ${ask.groupBy.join(', ')}` : ''}`;
}

function both(a: BoundRowFilter | null | 'none', b: BoundRowFilter | null): BoundRowFilter | null | 'none' {
  if (a === 'none') return 'none';
  if (a === null) return b;
  return b === null ? a : { kind: 'and', items: [a, b] };
}

/**
 * May the caller compute these aggregates, and from which cells? Permission comes from the
 * request's decision: some applicable aggregate-only grant must cover every asked group-by
 * field, function and measure field (full-row grants do NOT imply aggregates: an owner
 * offers aggregates, with their k, explicitly). A whole-type prohibition, or a prohibition on
 * every row of a field the aggregate uses (one the release table drops), refuses it. The
 * answer is then rolled up (`rollUpCells`) from the cells of the caller firm's release
 * table (`releaseTable`) that a covering grant covers, with the table's k: never from rows
 * a cell of its own would not release.
 * @example aggregateAccess(d, releaseTable(scope), { groupBy: ['characteristic'], measures: [{ fn: 'avg', field: 'value' }] })
 * // { allowed: true, minGroupSize: 5, rowFilter: null, cells: { groupBy: ['characteristic', 'unit', 'result'], hiddenKeys: [] }, rules: ['analysts-benchmark-inspections'] }
 */
export function aggregateAccess(decision: TypeDecision, table: ReleaseTable, ask: AggregateAsk): AggregateAccess {
  const who = callerText(decision);
  const missingField = ask.measures.find((m) => m.fn !== 'count' && m.field === undefined);
  if (missingField) return { allowed: false, reason: `aggregate ${missingField.fn} needs a field` };
  const covering = decision.aggregates.filter((g) => covers(g, ask));
  if (covering.length === 0) {
    const offered = decision.aggregates.map((g) => `${[...g.functions].join(', ')} of ${[...g.measures].join(', ') || 'rows'} by ${[...g.groupBy].join(', ') || 'nothing'} (rule ${g.ruleId})`);
    return {
      allowed: false,
      reason: `no rule of firm ${decision.owner} grants ${who} the aggregate ${describeAsk(ask)} of ${decision.type}${offered.length > 0 ? `; it may ask for: ${offered.join('; ')}` : ''}`,
    };
  }
  const whole = decision.denials.filter((d) => d.fields === '*' && d.rowFilter === null);
  if (whole.length > 0) return { allowed: false, reason: prohibitionReason(decision, whole, undefined) };
  const used = [...new Set([...ask.groupBy, ...ask.measures.flatMap((m) => (m.field ? [m.field] : []))])];
  const everywhere = decision.denials.filter((d) => d.fields !== '*' && d.rowFilter === null && used.some((f) => d.fields !== '*' && d.fields.has(f)));
  if (everywhere.length > 0) {
    const field = used.find((f) => everywhere.some((d) => d.fields !== '*' && d.fields.has(f)));
    return { allowed: false, reason: prohibitionReason(decision, everywhere, field) };
  }
  const dropped = used.find((f) => table.dropped.has(f));
  if (dropped !== undefined) return { allowed: false, reason: prohibitionReason(decision, table.dropped.get(dropped) ?? [], dropped) };
  // The covering grants' filters as the table has them (its hidden keys): the cover takes whole cells.
  const filters = covering.map((g) => table.grants.get(g.ruleId));
  const cover = filters.every((f) => f !== undefined) ? anyOf(filters) : 'none';
  if (cover === 'none') return { allowed: false, reason: `the aggregate rules of firm ${decision.owner} for ${who} are not in its release table of ${decision.type}` };
  return {
    allowed: true,
    minGroupSize: table.minGroupSize,
    rowFilter: both(table.rows, cover),
    cells: { groupBy: table.groupBy, hiddenKeys: table.hiddenKeys },
    rules: covering.map((g) => g.ruleId),
  };
}
