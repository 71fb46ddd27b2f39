import { anyOf, except } from './combineFilters.js';
import type { BoundRowFilter } from './rowFilter.js';
import type { Denial, TypeDecision } from './typeDecision.js';

/**
 * The one table of cells from which every aggregate a caller firm may have of a type is
 * rolled up: whatever it asks, at whatever grouping, under whichever rule, every answer is a
 * sum of these same cells, and a cell smaller than `minGroupSize` is in no answer at all.
 */
export interface ReleaseTable {
  /** The fields the cells are grouped by: every `groupBy` field of the grants in scope, less those dropped. */
  groupBy: string[];
  /**
   * One boolean key per distinct row filter of the grants in scope (does the row match it?):
   * cells never mix rows one grant covers with rows it does not.
   */
  hiddenKeys: BoundRowFilter[];
  /**
   * The rows in the cells: the OR of the grants' filters, less the rows of every prohibition
   * of whole rows, and of every row-limited prohibition of a field of the table (grouped or
   * measured). `'none'`: no row.
   */
  rows: BoundRowFilter | null | 'none';
  /** k: the largest `minGroupSize` of the grants in scope. */
  minGroupSize: number;
  /** Fields of the grants a prohibition hides on every row, with those prohibitions: not in the table. */
  dropped: ReadonlyMap<string, readonly Denial[]>;
  /** The aggregate grants of the table (rule id → its row filter, `null` = every row), in policy order. */
  grants: ReadonlyMap<string, BoundRowFilter | null>;
}

const unique = (items: readonly string[]): string[] => [...new Set(items)];

/**
 * The release table of a type for a caller firm, from the decision under its
 * `aggregateScope` (the aggregate grants any of the firm's users could have, whatever roles
 * and purpose, and the prohibitions that bear on the whole firm's cells). A field a
 * prohibition hides on every row is dropped (requests using it are refused); a row-limited
 * prohibition of a field of the table takes its rows out of every cell, so that no answer
 * with that field can be differenced against one without it.
 * @example
 * releaseTable(decideAccess(aggregateScope(policy), model, request))
 * // { groupBy: ['characteristic', 'unit', 'result'], hiddenKeys: [], rows: null, minGroupSize: 5, dropped: Map {}, grants: Map { 'analysts-benchmark-inspections' => null } }
 */
export function releaseTable(scope: TypeDecision): ReleaseTable {
  const grants = scope.aggregates;
  const fieldDenials = scope.denials.filter((d): d is Denial & { fields: ReadonlySet<string> } => d.fields !== '*');
  const fields = unique(grants.flatMap((g) => [...g.groupBy, ...g.measures]));
  const dropped = new Map<string, Denial[]>();
  for (const field of fields) {
    const everywhere = fieldDenials.filter((d) => d.rowFilter === null && d.fields.has(field));
    if (everywhere.length > 0) dropped.set(field, everywhere);
  }
  const kept = fields.filter((f) => !dropped.has(f));
  const rowLimited = fieldDenials.filter((d) => d.rowFilter !== null && kept.some((f) => d.fields.has(f)));
  const rowDenials = [...scope.denials.filter((d) => d.fields === '*'), ...rowLimited];
  const hiddenKeys = new Map<string, BoundRowFilter>();
  for (const g of grants) if (g.rowFilter) hiddenKeys.set(JSON.stringify(g.rowFilter), g.rowFilter);
  return {
    groupBy: unique(grants.flatMap((g) => [...g.groupBy])).filter((f) => !dropped.has(f)),
    hiddenKeys: [...hiddenKeys.values()],
    rows: except(anyOf(grants.map((g) => g.rowFilter)), rowDenials.map((d) => d.rowFilter)),
    minGroupSize: Math.max(2, ...grants.map((g) => g.minGroupSize)),
    dropped,
    grants: new Map(grants.map((g) => [g.ruleId, g.rowFilter])),
  };
}

/**
 * A release table in words, for explanations: what every aggregate answer is made of.
 * @example describeReleaseTable(table, 'avionix')
 * // 'every answer sums the cells of one release table for avionix (rows by characteristic, unit, result; at least 5 rows a cell): a smaller cell is held back and counted in no group, at any grouping'
 */
export function describeReleaseTable(table: ReleaseTable, callerFirm: string): string {
  const by = [table.groupBy.length > 0 ? `by ${table.groupBy.join(', ')}` : 'all together', ...(table.hiddenKeys.length > 0 ? ["and by which rules' rows they are"] : [])].join(' ');
  return `every answer sums the cells of one release table for ${callerFirm} (rows ${by}; at least ${table.minGroupSize} rows a cell): a smaller cell is held back and counted in no group, at any grouping`;
}
