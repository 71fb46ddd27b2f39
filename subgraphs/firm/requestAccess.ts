import type { Relationship } from '../../cluster/relationship.js';
import type { Caller } from '../../identity/caller.js';
import { decide, denialReason, fieldAllowed, type TypeDecision } from '../../policies/decide.js';
import type { PolicyDocument } from '../../policies/policyFile.js';
import type { DataModel } from '../../schema/model.js';

/** A row as read from the firm's database: GraphQL field names to values. */
export type Row = Readonly<Record<string, unknown>>;

/**
 * The owner's policy applied to one request: decisions are computed once per type and
 * request (the caller does not change within a request), and shared by the SQL row filters
 * and the field checks. Lives exactly as long as the request.
 */
export class RequestAccess {
  private readonly decisions = new Map<string, TypeDecision>();

  constructor(
    readonly ownerId: string,
    readonly caller: Caller,
    readonly relationships: readonly Relationship[],
    private readonly policy: PolicyDocument,
    private readonly model: DataModel,
  ) {}

  /** The decision for a governed type. */
  decision(type: string): TypeDecision {
    let d = this.decisions.get(type);
    if (!d) {
      d = decide(this.policy, this.model, { caller: this.caller, relationships: this.relationships, type });
      this.decisions.set(type, d);
    }
    return d;
  }

  /** May this field of this row be returned to the caller? */
  fieldAllowed(type: string, field: string, row: Row): boolean {
    return fieldAllowed(this.decision(type), field, row);
  }

  /** Why a field (or, without field, the type) is denied, naming owner, type and field. */
  reason(type: string, field?: string): string {
    if (field) return denialReason(this.decision(type), field, this.caller);
    return `no rule of firm ${this.ownerId} grants firm ${this.caller.firmId} (${this.relationships.join(', ')}; roles ${this.caller.roles.join(', ') || 'none'}) access to ${type}`;
  }
}
