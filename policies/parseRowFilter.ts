import type { GovernedType } from '../schema/model.js';
import type { PathSegment } from './PolicyError.js';
import { COMPARISON_OPS, type ComparisonOp, type PolicyValue, type RowFilter } from './rowFilter.js';
import { describeValue, isRecord, type ValidationContext } from './validationContext.js';

const CALLER_FIRM = '$caller.firm';

function parseValue(ctx: ValidationContext, path: readonly PathSegment[], value: unknown): PolicyValue | undefined {
  if (typeof value === 'string') {
    if (!value.startsWith('$')) return value;
    if (value === CALLER_FIRM) return { kind: 'callerFirm' };
    ctx.report(path, `unknown placeholder "${value}" (the only placeholder is ${CALLER_FIRM})`);
    return undefined;
  }
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  const hint = Array.isArray(value) ? ' (use in: [...] to test a list of values)' : '';
  ctx.report(path, `expected a string, number, boolean or ${CALLER_FIRM}, got ${describeValue(value)}${hint}`);
  return undefined;
}

function parseCondition(
  ctx: ValidationContext,
  path: readonly PathSegment[],
  field: string,
  value: unknown,
): RowFilter | undefined {
  if (!isRecord(value)) {
    const literal = parseValue(ctx, path, value);
    return literal === undefined ? undefined : { kind: 'cmp', field, op: 'eq', value: literal };
  }
  const keys = Object.keys(value);
  const [key] = keys;
  if (key === undefined || keys.length > 1) {
    ctx.report(
      path,
      `a condition has exactly one operator (${COMPARISON_OPS.join(', ')}), got ${keys.length === 0 ? 'none' : `${keys.length}: ${keys.join(', ')}`}`,
    );
    return undefined;
  }
  if (!(COMPARISON_OPS as readonly string[]).includes(key)) {
    ctx.report([...path, key], `unknown operator "${key}" (expected one of ${COMPARISON_OPS.join(', ')})`);
    return undefined;
  }
  const op = key as ComparisonOp;
  const operand = value[key];
  if (op !== 'in') {
    const literal = parseValue(ctx, [...path, key], operand);
    return literal === undefined ? undefined : { kind: 'cmp', field, op, value: literal };
  }
  if (!Array.isArray(operand) || operand.length === 0) {
    ctx.report([...path, key], `expected a non-empty list of values, got ${Array.isArray(operand) ? 'an empty list' : describeValue(operand)}`);
    return undefined;
  }
  const values = operand.map((item: unknown, i) => parseValue(ctx, [...path, key, i], item));
  const bound = values.filter((v): v is PolicyValue => v !== undefined);
  return bound.length === values.length ? { kind: 'cmp', field, op: 'in', value: bound } : undefined;
}

function checkField(ctx: ValidationContext, path: readonly PathSegment[], field: string, types: readonly GovernedType[]): boolean {
  const [only] = types;
  if (only && types.length === 1) {
    if (only.scalarFields.includes(field)) return true;
    ctx.report(
      path,
      only.fields.includes(field)
        ? `field "${field}" of ${only.name} is not scalar; a row filter may only test scalar fields (${only.scalarFields.join(', ')})`
        : `unknown field "${field}" for type ${only.name} (a row filter may test ${only.scalarFields.join(', ')})`,
    );
    return false;
  }
  const missing = types.filter((t) => !t.fields.includes(field)).map((t) => t.name);
  const nonScalar = types.filter((t) => t.fields.includes(field) && !t.scalarFields.includes(field)).map((t) => t.name);
  if (missing.length > 0) {
    ctx.report(path, `unknown field "${field}" for type ${missing.join(', ')} (a row filter over several types may only test fields every one has)`);
  } else if (nonScalar.length > 0) {
    ctx.report(path, `field "${field}" of ${nonScalar.join(', ')} is not scalar; a row filter may only test scalar fields`);
  }
  return missing.length === 0 && nonScalar.length === 0;
}

/**
 * Validates a row filter as written in a policy (`field: condition`, `anyOf`, `allOf`, `not`),
 * against the governed types the rule lists; reports each problem at its own path.
 * @example parseRowFilter(ctx, ['rules', 0, 'rows'], { severity: 'HIGH' }, [model.types.SensorAnomaly])
 * // { kind: 'cmp', field: 'severity', op: 'eq', value: 'HIGH' }
 */
export function parseRowFilter(
  ctx: ValidationContext,
  path: readonly PathSegment[],
  value: unknown,
  types: readonly GovernedType[],
): RowFilter | undefined {
  if (!isRecord(value)) {
    ctx.report(path, `expected a row filter (an object of field: condition, anyOf, allOf or not), got ${describeValue(value)}`);
    return undefined;
  }
  const entries = Object.entries(value);
  if (entries.length === 0) {
    ctx.report(path, 'empty row filter (omit rows to grant every row)');
    return undefined;
  }
  const items: RowFilter[] = [];
  let ok = true;
  for (const [key, sub] of entries) {
    let item: RowFilter | undefined;
    if (key === 'not') {
      const inner = parseRowFilter(ctx, [...path, key], sub, types);
      if (inner) item = { kind: 'not', item: inner };
    } else if (key === 'anyOf' || key === 'allOf') {
      if (!Array.isArray(sub) || sub.length === 0) {
        ctx.report([...path, key], `expected a non-empty list of row filters, got ${Array.isArray(sub) ? 'an empty list' : describeValue(sub)}`);
      } else {
        const parts = sub.map((s: unknown, i) => parseRowFilter(ctx, [...path, key, i], s, types));
        const good = parts.filter((p): p is RowFilter => p !== undefined);
        if (good.length === parts.length) item = { kind: key === 'anyOf' ? 'or' : 'and', items: good };
      }
    } else if (checkField(ctx, [...path, key], key, types)) {
      item = parseCondition(ctx, [...path, key], key, sub);
    }
    if (item) items.push(item);
    else ok = false;
  }
  if (!ok) return undefined;
  const [single] = items;
  return single && items.length === 1 ? single : { kind: 'and', items };
}
