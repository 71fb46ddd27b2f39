import type { Relationship } from '../../cluster/relationship.js';
import type { Caller } from '../../identity/caller.js';
import { aggregateAccess, type AggregateAccess, type AggregateAsk } from '../../policies/aggregateAccess.js';
import { releaseTable } from '../../policies/aggregateRelease.js';
import { aggregateScope } from '../../policies/aggregateScope.js';
import { decideAccess } from '../../policies/decideAccess.js';
import { callerText, prohibitionReason } from '../../policies/denialReason.js';
import { fieldAccess, type FieldAccess } from '../../policies/fieldAccess.js';
import { filterAccess, type FilterAccess } from '../../policies/filterAccess.js';
import type { EffectivePolicy } from '../../policies/policyFile.js';
import type { AccessRequest, TypeDecision } from '../../policies/typeDecision.js';
import { explainAccess, type Explanation } from '../../policies/explainAccess.js';
import type { DataModel } from '../../schema/model.js';

/** A row as read from the firm's database: GraphQL field names to values. */
export type Row = Readonly<Record<string, unknown>>;

/**
 * The owner's effective policy (cluster terms, its own rules, the caller's agreements)
 * applied to one request: decisions are computed once per type and request, at the
 * request's instant, and shared by the SQL row filters and the field checks. Lives exactly
 * as long as the request.
 */
export class RequestAccess {
  private readonly decisions = new Map<string, TypeDecision>();
  private readonly filters = new Map<string, FilterAccess>();

  constructor(
    readonly ownerId: string,
    readonly caller: Caller,
    readonly relationships: readonly Relationship[],
    readonly policy: EffectivePolicy,
    private readonly model: DataModel,
    readonly now: Date,
    private readonly reciprocity?: (types: readonly string[]) => boolean,
  ) {}

  /** The decision for a governed type. */
  decision(type: string): TypeDecision {
    let d = this.decisions.get(type);
    if (!d) {
      d = decideAccess(this.policy, this.model, this.request(type));
      this.decisions.set(type, d);
    }
    return d;
  }

  /** Which rule permits or denies each field and the rows of a type, for this caller. */
  explain(type: string): Explanation {
    return explainAccess(this.policy, this.model, this.request(type));
  }

  private request(type: string): AccessRequest {
    return {
      caller: this.caller,
      relationships: this.relationships,
      type,
      now: this.now,
      ...(this.reciprocity ? { reciprocity: this.reciprocity } : {}),
    };
  }

  /** May this field of this row be returned, and coarsened how? */
  field(type: string, field: string, row: Row): FieldAccess {
    return fieldAccess(this.decision(type), field, row);
  }

  /** May the caller filter (or list) the rows of a type by a field, and on which rows? */
  filter(type: string, field: string): FilterAccess {
    const key = `${type}.${field}`;
    let f = this.filters.get(key);
    if (!f) {
      f = filterAccess(this.decision(type), field);
      this.filters.set(key, f);
    }
    return f;
  }

  /**
   * May the caller have these aggregates of a type, and from which cells? The cells are
   * those of the caller firm's release table: the same whatever roles and purpose the token
   * declares (`aggregateScope`).
   */
  aggregate(type: string, ask: AggregateAsk): AggregateAccess {
    // Asked as the firm with no roles: the scope's rules name none, and a tool's role would match none of them.
    const firmWide = { ...this.request(type), caller: { ...this.caller, roles: [] } };
    const table = releaseTable(decideAccess(aggregateScope(this.policy), this.model, firmWide));
    return aggregateAccess(this.decision(type), table, ask);
  }

  /** Why no row of a type is visible: a prohibition, or no permit (with the rules that named the caller but do not apply now). */
  reason(type: string): string {
    const d = this.decision(type);
    const whole = d.denials.filter((x) => x.fields === '*' && x.rowFilter === null);
    if (whole.length > 0) return prohibitionReason(d, whole, undefined);
    const skipped = d.skippedRules.map((r) => `rule ${r.ruleId}: ${r.reason}`).join('; ');
    return `no rule of firm ${this.ownerId} grants ${callerText(d)} access to ${type}${skipped ? ` (${skipped})` : ''}`;
  }
}
