import type { Relationship } from '../cluster/relationship.js';
import type { PathSegment } from './PolicyError.js';
import type { WhoCondition } from './policyFile.js';
import { checkKeys, describeValue, ID_PATTERN, isRecord, stringList, type ValidationContext } from './validationContext.js';

// Type-only import of the project (policies/ stays pure): the names are checked against the type.
const RELATIONSHIP_SET = { self: true, customer: true, supplier: true, 'any-customer': true, 'any-supplier': true, member: true } satisfies Record<Relationship, true>;
const RELATIONSHIP_NAMES = Object.keys(RELATIONSHIP_SET) as Relationship[];
const WHO_KEYS = ['relationship', 'firms', 'roles'] as const;

function isRelationship(value: string): value is Relationship {
  return (RELATIONSHIP_NAMES as readonly string[]).includes(value);
}

/** Options of who-validation: the owner, and the cluster's firm ids when known. */
export interface WhoOptions {
  owner: string | undefined;
  knownFirms: readonly string[] | undefined;
  /**
   * Set for the cluster terms: their rules bind every member, so they may name neither
   * firms nor `self` (the text says why).
   */
  clusterWide?: boolean;
}

function relationships(ctx: ValidationContext, path: readonly PathSegment[], value: unknown): Relationship[] | undefined {
  const names = stringList(ctx, path, value, 'relationships');
  if (!names) return undefined;
  const out: Relationship[] = [];
  names.forEach((name, i) => {
    if (isRelationship(name)) out.push(name);
    else ctx.report([...path, i], `unknown relationship "${name}" (expected one of ${RELATIONSHIP_NAMES.join(', ')})`);
  });
  return out.length === names.length ? out : undefined;
}

function firms(ctx: ValidationContext, path: readonly PathSegment[], value: unknown, known: readonly string[] | undefined): string[] | undefined {
  const ids = stringList(ctx, path, value, 'firm ids');
  if (!ids) return undefined;
  let ok = true;
  ids.forEach((id, i) => {
    if (!ID_PATTERN.test(id)) {
      ctx.report([...path, i], `invalid firm id "${id}" (lower-case letters, digits and -)`);
      ok = false;
    } else if (known && !known.includes(id)) {
      ctx.report([...path, i], `unknown firm "${id}" (members: ${known.join(', ')})`);
      ok = false;
    }
  });
  return ok ? ids : undefined;
}

/**
 * Reports a who that no caller can ever satisfy, or a `firms` entry that can never match,
 * given that `self` is the owner and only the owner, who is never its own customer or supplier.
 */
function checkSatisfiable(ctx: ValidationContext, path: readonly PathSegment[], who: WhoCondition, owner: string): void {
  const rels = who.relationship;
  const ids = who.firms;
  if (!rels || !ids) return;
  if (rels.every((r) => r !== 'self')) {
    ids.forEach((id, i) => {
      if (id !== owner) return;
      const never = ids.length === 1 ? 'the rule can never match' : 'this entry can never match';
      ctx.report([...path, 'firms', i], `${never}: the owner "${owner}" is never its own ${rels.join(' or ')} (use relationship: [self])`);
    });
  } else if (rels.every((r) => r === 'self')) {
    if (!ids.includes(owner)) {
      ctx.report(
        [...path, 'relationship'],
        `the rule can never match: relationship self is the owner "${owner}" itself, which firms (${ids.join(', ')}) does not list`,
      );
      return;
    }
    ids.forEach((id, i) => {
      if (id !== owner) ctx.report([...path, 'firms', i], `this entry can never match: with relationship self only, the caller is the owner "${owner}", never "${id}"`);
    });
  }
}

/**
 * Validates a rule's `who`: at least one condition, known relationships, well-formed firm
 * ids and roles, no empty list, and a combination some caller can satisfy.
 * @example validateWho(ctx, ['rules', 0, 'who'], { relationship: ['customer'] }, { owner: 'structura', knownFirms: undefined })
 * // { relationship: ['customer'] }
 */
export function validateWho(ctx: ValidationContext, path: readonly PathSegment[], value: unknown, options: WhoOptions): WhoCondition | undefined {
  if (value === undefined) {
    ctx.report(path, 'missing key who (say whom the rule grants, e.g. relationship: [customer])');
    return undefined;
  }
  if (!isRecord(value)) {
    ctx.report(path, `expected an object with relationship, firms or roles, got ${describeValue(value)}`);
    return undefined;
  }
  let ok = checkKeys(ctx, path, value, WHO_KEYS);
  if (!WHO_KEYS.some((k) => value[k] !== undefined)) {
    if (ok) ctx.report(path, 'empty who: give at least one of relationship, firms, roles');
    return undefined;
  }
  const who: WhoCondition = {};
  const nonEmpty = <T>(key: (typeof WHO_KEYS)[number], list: T[] | undefined): T[] | undefined => {
    if (list && list.length === 0) ctx.report([...path, key], `empty ${key} list: the rule can never match`);
    if (!list || list.length === 0) ok = false;
    return list && list.length > 0 ? list : undefined;
  };
  if (value.relationship !== undefined) {
    const list = nonEmpty('relationship', relationships(ctx, [...path, 'relationship'], value.relationship));
    if (list && options.clusterWide && list.includes('self')) {
      ctx.report([...path, 'relationship', list.indexOf('self')], 'the cluster terms govern what members see of each other: relationship self is not allowed (each firm grants its own users in its own policy)');
      ok = false;
    } else if (list) who.relationship = list;
  }
  if (value.firms !== undefined && options.clusterWide) {
    ctx.report([...path, 'firms'], 'the cluster terms bind every member alike: a rule may not name firms (use relationship and roles)');
    ok = false;
  } else if (value.firms !== undefined) {
    const list = nonEmpty('firms', firms(ctx, [...path, 'firms'], value.firms, options.knownFirms));
    if (list) who.firms = list;
  }
  if (value.roles !== undefined) {
    const list = nonEmpty('roles', stringList(ctx, [...path, 'roles'], value.roles, 'roles'));
    if (list) who.roles = list;
  }
  if (!ok) return undefined;
  if (options.owner !== undefined) checkSatisfiable(ctx, path, who, options.owner);
  return who;
}
