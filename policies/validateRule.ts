import type { DataModel, GovernedType } from '../schema/model.js';
import type { PathSegment } from './PolicyError.js';
import { MEMBERSHIP_TYPE, type AccessMode, type AggregateSpec, type CoarsenSpec, type PolicyRule, type RuleEffect, type RuleOrigin } from './policyFile.js';
import { parseRowFilter } from './parseRowFilter.js';
import type { RowFilter } from './rowFilter.js';
import { validatePurposes, validateReciprocity, validateValidity } from './validateConditions.js';
import { validateAccessMode, validateAggregate, validateCoarsen } from './validateMode.js';
import { validateExcept, validateFields, validateTypes } from './validateTarget.js';
import { checkKeys, describeValue, ID_PATTERN, isRecord, type ValidationContext } from './validationContext.js';
import { validateWho, type WhoOptions } from './validateWho.js';

const V1_KEYS = ['id', 'description', 'who', 'types', 'fields', 'exceptFields', 'rows'] as const;
const V2_ONLY = ['effect', 'purposes', 'valid', 'mode', 'coarsen', 'aggregate', 'reciprocity'] as const;
const NOT_ON_DENY = ['exceptFields', 'purposes', 'mode', 'coarsen', 'aggregate', 'reciprocity'] as const;

/** What a rule is validated against. */
export interface RuleOptions {
  model: DataModel;
  who: WhoOptions;
  /** The file's format version: version 1 files know only the v1 keys. */
  version: 1 | 2;
  origin: Extract<RuleOrigin, 'firm' | 'cluster'>;
  /** The cluster's purpose vocabulary; unchecked when absent. */
  purposes: readonly string[] | undefined;
  /** The moment of loading: a validity window over by then is refused; unchecked when absent. */
  now: Date | undefined;
}

function validateEffect(ctx: ValidationContext, path: readonly PathSegment[], value: unknown): RuleEffect | undefined {
  if (value === undefined || value === 'permit') return 'permit';
  if (value === 'deny') return 'deny';
  ctx.report(path, `unknown effect ${typeof value === 'string' ? `"${value}"` : `(${describeValue(value)})`} (expected permit or deny)`);
  return undefined;
}

/** Checks the keys a rule may have for its file version and effect; true when all are fine. */
function checkRuleKeys(ctx: ValidationContext, path: readonly PathSegment[], value: Record<string, unknown>, version: 1 | 2): boolean {
  let ok = true;
  if (version === 1) {
    for (const key of V2_ONLY) {
      if (value[key] === undefined) continue;
      ctx.report([...path, key], `key "${key}" needs version: 2 (this file is version 1)`);
      ok = false;
    }
  }
  const rest = Object.fromEntries(Object.entries(value).filter(([k]) => version === 2 || !(V2_ONLY as readonly string[]).includes(k)));
  ok = checkKeys(ctx, path, rest, version === 1 ? V1_KEYS : [...V1_KEYS, ...V2_ONLY]) && ok;
  if (version === 1 || value.effect !== 'deny') return ok;
  for (const key of NOT_ON_DENY) {
    if (value[key] === undefined) continue;
    ctx.report([...path, key], `key "${key}" is not allowed on a deny rule (a prohibition says only who, types, fields, rows and valid)`);
    ok = false;
  }
  return ok;
}

function fieldsOf(type: GovernedType, fields: '*' | readonly string[], except: readonly string[]): string[] {
  return (fields === '*' ? type.fields : fields).filter((f) => type.fields.includes(f) && !except.includes(f));
}

/**
 * Validates one entry of `rules`, reporting each problem at its path; returns the rule when
 * it is valid. The caller checks ids for duplicates.
 * @example validateRule(ctx, 0, { id: 'own-users', who: { relationship: ['self'] }, types: '*', fields: '*' }, options)
 */
export function validateRule(ctx: ValidationContext, index: number, value: unknown, options: RuleOptions): PolicyRule | undefined {
  const path: PathSegment[] = ['rules', index];
  const at = (key: string): PathSegment[] => [...path, key];
  ctx.ruleId = undefined;
  if (!isRecord(value)) {
    ctx.report(path, `expected a rule (an object with id, who, types, fields), got ${describeValue(value)}`);
    return undefined;
  }
  const id = value.id;
  let ok = true;
  if (typeof id === 'string' && ID_PATTERN.test(id)) ctx.ruleId = id;
  else {
    ok = false;
    ctx.report(
      at('id'),
      id === undefined
        ? 'missing key id (a unique rule id of lower-case letters, digits and -)'
        : `invalid rule id ${typeof id === 'string' ? JSON.stringify(id) : `(${describeValue(id)})`} (use lower-case letters, digits and -)`,
    );
  }
  ok = checkRuleKeys(ctx, path, value, options.version) && ok;
  const description = value.description;
  if (description !== undefined && typeof description !== 'string') {
    ctx.report(at('description'), `expected a string, got ${describeValue(description)}`);
    ok = false;
  }
  // A version 1 file's v2 keys were reported above: they are not read.
  const v2 = (key: (typeof V2_ONLY)[number]): unknown => (options.version === 2 ? value[key] : undefined);
  const effect = validateEffect(ctx, at('effect'), v2('effect'));
  const mode: AccessMode | undefined = effect === 'deny' ? 'full' : validateAccessMode(ctx, at('mode'), v2('mode'));
  const who = validateWho(ctx, at('who'), value.who, options.who);
  const types = validateTypes(ctx, at('types'), value.types, options.model);
  const governed = types?.flatMap((t) => options.model.types[t] ?? []);

  let fields: '*' | string[] | undefined;
  let exceptFields: string[] | undefined = [];
  let aggregate: AggregateSpec | null | undefined = null;
  if (mode === 'membership') {
    if (value.fields !== undefined || value.exceptFields !== undefined) {
      ctx.report(at(value.fields !== undefined ? 'fields' : 'exceptFields'), 'with mode membership, omit fields and exceptFields: the rule shares YES / NO / UNKNOWN answers, no field');
      ok = false;
    }
    if (types && (types.length !== 1 || types[0] !== MEMBERSHIP_TYPE)) {
      ctx.report(at('types'), `mode membership answers chain-membership questions about lots: types must be [${MEMBERSHIP_TYPE}]`);
      ok = false;
    }
    if (v2('aggregate') !== undefined) {
      ctx.report(at('aggregate'), 'aggregate is only allowed with mode: aggregate');
      ok = false;
    }
    fields = [];
  } else if (mode === 'aggregate') {
    if (value.fields !== undefined || value.exceptFields !== undefined) {
      ctx.report(at(value.fields !== undefined ? 'fields' : 'exceptFields'), 'with mode aggregate, omit fields and exceptFields: aggregate.groupBy and aggregate.measures say what is shared');
      ok = false;
    }
    if (value.aggregate === undefined) ctx.report(at('aggregate'), 'mode aggregate needs aggregate (functions, measures, groupBy, minGroupSize)');
    aggregate = governed && value.aggregate !== undefined ? validateAggregate(ctx, at('aggregate'), value.aggregate, governed) : undefined;
    fields = aggregate ? [...new Set([...aggregate.groupBy, ...aggregate.measures])] : undefined;
  } else {
    if (v2('aggregate') !== undefined && effect === 'permit') {
      ctx.report(at('aggregate'), 'aggregate is only allowed with mode: aggregate');
      ok = false;
    }
    fields = validateFields(ctx, at('fields'), value.fields, governed);
    exceptFields = effect === 'deny' ? [] : validateExcept(ctx, at('exceptFields'), value.exceptFields, governed, fields);
  }
  if (effect === 'deny' && governed && fields && fields !== '*') {
    fields.forEach((f, i) => {
      const keyOf = governed.find((t) => t.keyFields.includes(f));
      if (!keyOf) return;
      ctx.report([...path, 'fields', i], `"${f}" is a key field of ${keyOf.name}: a prohibition cannot hide the key fields of a visible row (deny fields: "*" to hide the rows)`);
      ok = false;
    });
  }

  let coarsen: Record<string, CoarsenSpec> | undefined = {};
  if (mode === 'coarsened') {
    if (value.coarsen === undefined) {
      ctx.report(at('coarsen'), 'mode coarsened needs coarsen (the fields to coarsen and how)');
      coarsen = undefined;
    } else if (governed && fields && exceptFields) {
      const granted = fields;
      const except = exceptFields;
      coarsen = validateCoarsen(ctx, at('coarsen'), value.coarsen, governed, (t) => fieldsOf(t, granted, except));
    } else coarsen = undefined;
  } else if (v2('coarsen') !== undefined && effect === 'permit') {
    ctx.report(at('coarsen'), 'coarsen is only allowed with mode: coarsened');
    ok = false;
  }

  let rows: RowFilter | null | undefined = null;
  if (value.rows !== undefined) rows = governed ? parseRowFilter(ctx, at('rows'), value.rows, governed) : undefined;
  const purposes = effect === 'deny' ? [] : validatePurposes(ctx, at('purposes'), v2('purposes'), options.purposes);
  const valid = validateValidity(ctx, at('valid'), v2('valid'), options.now);
  const reciprocity = effect === 'deny' ? [] : validateReciprocity(ctx, at('reciprocity'), v2('reciprocity'), options.model);

  if (!ok || typeof id !== 'string' || !effect || !mode || !who || !types || !fields || !exceptFields) return undefined;
  if (rows === undefined || !purposes || !valid || !reciprocity || !coarsen || aggregate === undefined) return undefined;
  const rule: PolicyRule = {
    id,
    index,
    origin: options.origin,
    effect,
    who,
    types,
    fields,
    exceptFields,
    rows,
    purposes,
    valid,
    mode,
    coarsen,
    aggregate,
    reciprocity,
  };
  if (typeof description === 'string') rule.description = description;
  return rule;
}
