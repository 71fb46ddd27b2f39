import type { GovernedType } from '../schema/model.js';
import { fieldKind } from './fieldKind.js';
import type { PathSegment } from './PolicyError.js';
import {
  ACCESS_MODES,
  AGGREGATE_FUNCTIONS,
  DATE_GRAINS,
  type AccessMode,
  type AggregateFunction,
  type AggregateSpec,
  type CoarsenSpec,
  type DateGrain,
} from './policyFile.js';
import { checkKeys, describeValue, isRecord, stringList, type ValidationContext } from './validationContext.js';

/**
 * Validates `mode` (default `full`).
 * @example validateAccessMode(ctx, ['rules', 0, 'mode'], 'coarsened') // 'coarsened'
 */
export function validateAccessMode(ctx: ValidationContext, path: readonly PathSegment[], value: unknown): AccessMode | undefined {
  if (value === undefined) return 'full';
  if (typeof value === 'string' && (ACCESS_MODES as readonly string[]).includes(value)) return value as AccessMode;
  ctx.report(path, `unknown mode ${typeof value === 'string' ? `"${value}"` : `(${describeValue(value)})`} (expected one of ${ACCESS_MODES.join(', ')})`);
  return undefined;
}

/** Checks a field is a scalar, non-key field of every listed type; `role` says what it is used for. */
function checkScalar(ctx: ValidationContext, path: readonly PathSegment[], field: string, types: readonly GovernedType[], role: string): boolean {
  for (const type of types) {
    if (!type.fields.includes(field)) ctx.report(path, `unknown field "${field}" for type ${type.name}${types.length > 1 ? ' (fields must exist on every listed type)' : ''}`);
    else if (!type.scalarFields.includes(field)) ctx.report(path, `field "${field}" of ${type.name} is not scalar: only scalar fields can be ${role}`);
    else continue;
    return false;
  }
  return true;
}

function coarsenSpec(ctx: ValidationContext, path: readonly PathSegment[], field: string, value: unknown, types: readonly GovernedType[]): CoarsenSpec | undefined {
  const keys = isRecord(value) ? Object.keys(value) : [];
  if (!isRecord(value) || keys.length !== 1 || (keys[0] !== 'step' && keys[0] !== 'to')) {
    ctx.report(path, `expected { step: <number> } or { to: day|week|month } (exactly one), got ${isRecord(value) ? `keys ${keys.join(', ') || 'none'}` : describeValue(value)}`);
    return undefined;
  }
  const kinds = types.map((t) => fieldKind(t, field));
  if (value.step !== undefined) {
    if (typeof value.step !== 'number' || !Number.isFinite(value.step) || value.step <= 0) {
      ctx.report([...path, 'step'], `step must be a positive number, got ${describeValue(value.step)}`);
    } else if (kinds.includes('date')) ctx.report([...path, 'step'], `"${field}" holds dates: coarsen it with to: day|week|month, not step`);
    else if (kinds.includes('other')) ctx.report([...path, 'step'], `"${field}" is not a number: step only rounds numbers`);
    else return { step: value.step };
    return undefined;
  }
  if (typeof value.to !== 'string' || !(DATE_GRAINS as readonly string[]).includes(value.to)) {
    ctx.report([...path, 'to'], `unknown date grain ${describeValue(value.to)} (expected one of ${DATE_GRAINS.join(', ')})`);
  } else if (kinds.some((k) => k !== 'date')) {
    ctx.report([...path, 'to'], `"${field}" is not a date field (the names of date fields end in At, Date, Start or End, or are eta): to only truncates dates (use step for numbers)`);
  } else return { to: value.to as DateGrain };
  return undefined;
}

/**
 * Validates `coarsen: { field: { step: n } | { to: day|week|month } }`: each field granted by
 * the rule, scalar, not a key field, of the right kind.
 * @example validateCoarsen(ctx, path, { onHand: { step: 50 } }, [model.types.InventoryPosition], ['onHand'])
 */
export function validateCoarsen(
  ctx: ValidationContext,
  path: readonly PathSegment[],
  value: unknown,
  types: readonly GovernedType[],
  granted: (type: GovernedType) => readonly string[],
): Record<string, CoarsenSpec> | undefined {
  if (!isRecord(value)) {
    ctx.report(path, `expected an object of field: { step: n } or { to: day|week|month }, got ${describeValue(value)}`);
    return undefined;
  }
  const entries = Object.entries(value);
  if (entries.length === 0) {
    ctx.report(path, 'empty coarsen: name the fields to coarsen (or use mode: full)');
    return undefined;
  }
  const out: Record<string, CoarsenSpec> = {};
  let ok = true;
  for (const [field, spec] of entries) {
    const at = [...path, field];
    const keyOf = types.find((t) => t.keyFields.includes(field));
    if (!checkScalar(ctx, at, field, types, 'coarsened')) ok = false;
    else if (keyOf) {
      ctx.report(at, `"${field}" is a key field of ${keyOf.name}: key fields are never coarsened`);
      ok = false;
    } else if (types.some((t) => !granted(t).includes(field))) {
      ctx.report(at, `"${field}" is not granted by fields (or is excepted), so coarsening it has no effect`);
      ok = false;
    } else {
      const parsed = coarsenSpec(ctx, at, field, spec, types);
      if (parsed) out[field] = parsed;
      else ok = false;
    }
  }
  return ok ? out : undefined;
}

function fieldList(
  ctx: ValidationContext,
  path: readonly PathSegment[],
  value: unknown,
  types: readonly GovernedType[],
  role: 'measures' | 'groupBy',
): string[] | undefined {
  if (value === undefined) return [];
  const names = stringList(ctx, path, value, 'field names');
  if (!names) return undefined;
  let ok = true;
  names.forEach((name, i) => {
    const at = [...path, i];
    if (!checkScalar(ctx, at, name, types, role === 'measures' ? 'measured' : 'grouped by')) ok = false;
    else if (role === 'measures' && types.some((t) => t.keyFields.includes(name))) ctx.report(at, `"${name}" is a key field: measures must be numbers`);
    else if (role === 'measures' && types.some((t) => fieldKind(t, name) !== 'number')) ctx.report(at, `"${name}" is not a number: measures must be numeric fields`);
    else if (role === 'groupBy' && types.some((t) => t.keyFields.includes(name) && name !== 'firmId')) {
      ctx.report(at, `grouping by the key field "${name}" makes groups of one row, which are never returned`);
    } else return;
    ok = false;
  });
  return ok ? names : undefined;
}

/**
 * Validates `aggregate: { functions, measures, groupBy, minGroupSize }` of an aggregate-only rule.
 * @example validateAggregate(ctx, path, { functions: [count, avg], measures: [value], groupBy: [characteristic], minGroupSize: 5 }, [model.types.QualityInspection])
 */
export function validateAggregate(ctx: ValidationContext, path: readonly PathSegment[], value: unknown, types: readonly GovernedType[]): AggregateSpec | undefined {
  if (!isRecord(value)) {
    ctx.report(path, `expected an object with functions, measures, groupBy and minGroupSize, got ${describeValue(value)}`);
    return undefined;
  }
  if (!checkKeys(ctx, path, value, ['functions', 'measures', 'groupBy', 'minGroupSize'])) return undefined;
  let functions: AggregateFunction[] | undefined;
  if (value.functions === undefined) ctx.report([...path, 'functions'], `missing key functions (some of ${AGGREGATE_FUNCTIONS.join(', ')})`);
  else {
    const names = stringList(ctx, [...path, 'functions'], value.functions, 'aggregate functions');
    if (names && names.length === 0) ctx.report([...path, 'functions'], 'empty functions list: the rule can never match');
    else if (names) {
      const bad = names.findIndex((n) => !(AGGREGATE_FUNCTIONS as readonly string[]).includes(n));
      if (bad >= 0) ctx.report([...path, 'functions', bad], `unknown aggregate function "${names[bad] ?? ''}" (expected one of ${AGGREGATE_FUNCTIONS.join(', ')})`);
      else functions = names as AggregateFunction[];
    }
  }
  const measures = fieldList(ctx, [...path, 'measures'], value.measures, types, 'measures');
  const groupBy = fieldList(ctx, [...path, 'groupBy'], value.groupBy, types, 'groupBy');
  const needMeasures = (functions ?? []).filter((f) => f !== 'count');
  if (measures && measures.length === 0 && needMeasures.length > 0) {
    ctx.report([...path, 'measures'], `functions ${needMeasures.join(', ')} need measures (the numeric fields they may use)`);
    return undefined;
  }
  const k = value.minGroupSize;
  if (k === undefined) ctx.report([...path, 'minGroupSize'], 'missing key minGroupSize (the smallest group ever returned, at least 2)');
  else if (typeof k !== 'number' || !Number.isInteger(k) || k < 2) {
    ctx.report([...path, 'minGroupSize'], `minGroupSize must be an integer of at least 2 (smaller groups are never returned), got ${describeValue(k)}`);
  } else if (functions && measures && groupBy) return { functions, measures, groupBy, minGroupSize: k };
  return undefined;
}
