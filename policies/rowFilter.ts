/** A literal a row filter compares with. */
export type FilterLiteral = string | number | boolean;

/** The placeholder `$caller.firm`: the calling firm's id, bound per request. */
export interface CallerFirmPlaceholder {
  kind: 'callerFirm';
}

/** A value in a policy's row filter: a literal or a placeholder. */
export type PolicyValue = FilterLiteral | CallerFirmPlaceholder;

export const COMPARISON_OPS = ['eq', 'ne', 'in', 'gt', 'gte', 'lt', 'lte'] as const;
export type ComparisonOp = (typeof COMPARISON_OPS)[number];

/** A comparison of one scalar field; `in` takes a non-empty list, the others one value. */
export type Comparison<V> =
  | { kind: 'cmp'; field: string; op: 'in'; value: readonly V[] }
  | { kind: 'cmp'; field: string; op: Exclude<ComparisonOp, 'in'>; value: V };

/**
 * A row filter tree over values of type V. `and` / `or` have at least one item. `not` holds
 * when its item does not (two-valued, as `matchesRow`: a comparison on a null field is false
 * except `ne`, so `not` of it is true; translate to SQL as `NOT COALESCE((item), false)`).
 */
export type FilterNode<V> =
  | { kind: 'and' | 'or'; items: readonly FilterNode<V>[] }
  | { kind: 'not'; item: FilterNode<V> }
  | Comparison<V>;

/** A row filter as written in a policy, placeholders unbound. */
export type RowFilter = FilterNode<PolicyValue>;

/** A row filter for one request: only literals, ready to translate to SQL or to test a row. */
export type BoundRowFilter = FilterNode<FilterLiteral>;

/** The values placeholders stand for in one request. */
export interface FilterBindings {
  callerFirm: string;
}

function bindValue(value: PolicyValue, bindings: FilterBindings): FilterLiteral {
  return typeof value === 'object' ? bindings.callerFirm : value;
}

/**
 * Replaces `$caller.firm` by the calling firm's id.
 * @example bindRowFilter({ kind: 'cmp', field: 'customerId', op: 'eq', value: { kind: 'callerFirm' } }, { callerFirm: 'skyframe' })
 * // { kind: 'cmp', field: 'customerId', op: 'eq', value: 'skyframe' }
 */
export function bindRowFilter(filter: RowFilter, bindings: FilterBindings): BoundRowFilter {
  switch (filter.kind) {
    case 'and':
    case 'or':
      return { kind: filter.kind, items: filter.items.map((item) => bindRowFilter(item, bindings)) };
    case 'not':
      return { kind: 'not', item: bindRowFilter(filter.item, bindings) };
    case 'cmp':
      return filter.op === 'in'
        ? { kind: 'cmp', field: filter.field, op: 'in', value: filter.value.map((v) => bindValue(v, bindings)) }
        : { kind: 'cmp', field: filter.field, op: filter.op, value: bindValue(filter.value, bindings) };
  }
}

const OP_TEXT: Record<Exclude<ComparisonOp, 'in'>, string> = {
  eq: '=',
  ne: '!=',
  gt: '>',
  gte: '>=',
  lt: '<',
  lte: '<=',
};

function valueText(value: PolicyValue): string {
  if (typeof value === 'object') return '$caller.firm';
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/**
 * A row filter as one readable line, for denial reasons and `explain`.
 * @example describeRowFilter({ kind: 'cmp', field: 'severity', op: 'eq', value: 'HIGH' }) // 'severity = "HIGH"'
 */
export function describeRowFilter(filter: RowFilter): string {
  switch (filter.kind) {
    case 'and':
    case 'or': {
      const parts = filter.items.map((item) => describeRowFilter(item));
      return parts.length === 1 ? (parts[0] ?? '') : `(${parts.join(` ${filter.kind} `)})`;
    }
    case 'not':
      return `not ${describeRowFilter(filter.item)}`;
    case 'cmp':
      return filter.op === 'in'
        ? `${filter.field} in (${filter.value.map(valueText).join(', ')})`
        : `${filter.field} ${OP_TEXT[filter.op]} ${valueText(filter.value)}`;
  }
}
