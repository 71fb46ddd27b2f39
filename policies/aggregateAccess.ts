import { anyOf, except } from './combineFilters.js';
import { callerText, prohibitionReason } from './denialReason.js';
import type { AggregateFunction } from './policyFile.js';
import type { BoundRowFilter } from './rowFilter.js';
import type { AggregateGrant, TypeDecision } from './typeDecision.js';

/** What the caller asks to aggregate: group-by fields and measures (`count` needs no field). */
export interface AggregateAsk {
  groupBy: string[];
  measures: { fn: AggregateFunction; field?: string }[];
}

/** The verdict on an aggregate: allowed with the k and the rows to aggregate over, or denied. */
export type AggregateAccess =
  | { allowed: true; minGroupSize: number; rowFilter: BoundRowFilter | null | 'none'; rules: string[] }
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

/**
 * May the caller compute these aggregates? Some applicable aggregate-only grant must cover
 * every asked group-by field, function and measure field. With several covering grants the
 * rows are the OR of their filters and k the LARGEST of their minimum group sizes; whole-row
 * prohibitions are taken out of the rows, and so are the rows where a field prohibition hides
 * a field the aggregate uses (hidden everywhere: refused). Full-row grants do NOT imply
 * aggregates: an owner offers aggregates (with their k) explicitly.
 * @example aggregateAccess(d, { groupBy: ['characteristic'], measures: [{ fn: 'avg', field: 'value' }] })
 * // { allowed: true, minGroupSize: 5, rowFilter: null, rules: ['analysts-benchmark-inspections'] }
 */
export function aggregateAccess(decision: TypeDecision, ask: AggregateAsk): AggregateAccess {
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
  const whole = decision.denials.filter((d) => d.fields === '*');
  if (whole.some((d) => d.rowFilter === null)) return { allowed: false, reason: prohibitionReason(decision, whole.filter((d) => d.rowFilter === null), undefined) };
  const used = new Set([...ask.groupBy, ...ask.measures.flatMap((m) => (m.field ? [m.field] : []))]);
  const fieldDenials = decision.denials.filter((d) => d.fields !== '*' && [...used].some((f) => d.fields !== '*' && d.fields.has(f)));
  const everywhere = fieldDenials.filter((d) => d.rowFilter === null);
  if (everywhere.length > 0) {
    const field = [...used].find((f) => everywhere.some((d) => d.fields !== '*' && d.fields.has(f)));
    return { allowed: false, reason: prohibitionReason(decision, everywhere, field) };
  }
  const rowFilter = except(anyOf(covering.map((g) => g.rowFilter)), [...whole, ...fieldDenials].map((d) => d.rowFilter));
  return {
    allowed: true,
    minGroupSize: Math.max(...covering.map((g) => g.minGroupSize)),
    rowFilter,
    rules: covering.map((g) => g.ruleId),
  };
}
