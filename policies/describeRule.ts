import type { AggregateSpec, CoarsenSpec, ValidityWindow } from './policyFile.js';

/**
 * A coarsening in words.
 * @example describeCoarsen({ step: 50 }) // 'rounded to the nearest 50'
 */
export function describeCoarsen(spec: CoarsenSpec): string {
  if (spec.step !== undefined) return `rounded to the nearest ${spec.step}`;
  return `truncated to the ${spec.to ?? 'day'}`;
}

/**
 * An aggregate grant in words. MIN and MAX name single values by nature: where a grant
 * offers them, the words say so.
 * @example describeAggregate({ functions: ['count', 'avg'], measures: ['value'], groupBy: ['characteristic'], minGroupSize: 5 })
 * // 'count, avg of value by characteristic, groups of at least 5 rows'
 * describeAggregate({ functions: ['count', 'max'], measures: ['value'], groupBy: [], minGroupSize: 5 })
 * // 'count, max of value over all rows, groups of at least 5 rows; max discloses one row's value per group'
 */
export function describeAggregate(spec: Pick<AggregateSpec, 'functions' | 'measures' | 'groupBy' | 'minGroupSize'>): string {
  const of = spec.measures.length > 0 ? ` of ${spec.measures.join(', ')}` : '';
  const by = spec.groupBy.length > 0 ? ` by ${spec.groupBy.join(', ')}` : ' over all rows';
  const extremes = spec.functions.filter((f) => f === 'min' || f === 'max');
  const single = extremes.length === 0 ? '' : `; ${extremes.join(' and ')} ${extremes.length > 1 ? 'disclose' : 'discloses'} one row's value per group`;
  return `${spec.functions.join(', ')}${of}${by}, groups of at least ${spec.minGroupSize} rows${single}`;
}

/**
 * A validity window in words; '' when the rule is always in force.
 * @example describeWindow({ until: new Date('2027-04-01T00:00:00Z') }) // 'until 2027-04-01T00:00:00.000Z'
 */
export function describeWindow(valid: ValidityWindow): string {
  const parts: string[] = [];
  if (valid.from) parts.push(`from ${valid.from.toISOString()}`);
  if (valid.until) parts.push(`until ${valid.until.toISOString()}`);
  return parts.join(' ');
}
