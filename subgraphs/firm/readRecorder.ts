import type { LoggedRead } from './db/governanceTables.js';
import type { Row } from './requestAccess.js';

interface TypeReads {
  rows: Set<string>;
  fields: Set<string>;
  rules: Set<string>;
}

/** What a request read of the firm's data: what its access log entry says. */
export interface ReadSummary {
  reads: LoggedRead[];
  /** Fields refused, as `Type.field`. */
  deniedFields: string[];
}

/**
 * Records, for one request, every row and field of the firm's governed types that the
 * response carries (and the rules that let each out), and every field refused. The access
 * log entry is written from it before the response leaves.
 * @example ctx.reads.field('Lot', 'status', row, ['customers-trace-lots'])
 */
export class ReadRecorder {
  private readonly byType = new Map<string, TypeReads>();
  private readonly denied = new Set<string>();
  private readonly aggregatedRows = new Map<string, number>();

  constructor(private readonly keyFieldsOf: (type: string) => readonly string[]) {}

  private reads(type: string): TypeReads {
    let r = this.byType.get(type);
    if (!r) {
      r = { rows: new Set(), fields: new Set(), rules: new Set() };
      this.byType.set(type, r);
    }
    return r;
  }

  /** A field of a row is returned, permitted by these rules. */
  field(type: string, field: string, row: Row, rules: readonly string[]): void {
    const r = this.reads(type);
    r.rows.add(this.keyFieldsOf(type).map((k) => String(row[k])).join('\u0000'));
    r.fields.add(field);
    for (const rule of rules) r.rules.add(rule);
  }

  /** Aggregates of a type were returned: what was computed, over how many rows, under which rules. */
  aggregate(type: string, computed: readonly string[], rows: number, rules: readonly string[]): void {
    const r = this.reads(type);
    for (const c of computed) r.fields.add(`aggregate:${c}`);
    this.aggregatedRows.set(type, (this.aggregatedRows.get(type) ?? 0) + rows);
    for (const rule of rules) r.rules.add(rule);
  }

  /** Chain-membership answers about rows of a type were given (`membership:YES`...), about how many rows, under which rules. */
  membership(type: string, answer: string, rows: number, rules: readonly string[]): void {
    const r = this.reads(type);
    r.fields.add(`membership:${answer}`);
    this.aggregatedRows.set(type, (this.aggregatedRows.get(type) ?? 0) + rows);
    for (const rule of rules) r.rules.add(rule);
  }

  /** A field was refused. */
  deniedField(type: string, field: string): void {
    this.denied.add(`${type}.${field}`);
  }

  /** A whole type was refused (no rule grants it, or no row of it is visible). */
  deniedType(type: string): void {
    this.denied.add(`${type}.*`);
  }

  /** True when the request touched none of the firm's governed data (nothing to log). */
  isEmpty(): boolean {
    return this.byType.size === 0 && this.denied.size === 0;
  }

  summary(): ReadSummary {
    return {
      reads: [...this.byType].map(([type, r]) => ({
        type,
        fields: [...r.fields].sort(),
        rows: r.rows.size + (this.aggregatedRows.get(type) ?? 0),
        rules: [...r.rules].sort(),
      })),
      deniedFields: [...this.denied].sort(),
    };
  }
}
