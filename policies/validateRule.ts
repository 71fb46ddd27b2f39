import type { DataModel, GovernedType } from '../schema/model.js';
import type { PathSegment } from './PolicyError.js';
import type { PolicyRule } from './policyFile.js';
import { parseRowFilter } from './parseRowFilter.js';
import type { RowFilter } from './rowFilter.js';
import { checkKeys, describeValue, ID_PATTERN, isRecord, stringList, type ValidationContext } from './validationContext.js';
import { validateWho, type WhoOptions } from './validateWho.js';

const RULE_KEYS = ['id', 'description', 'who', 'types', 'fields', 'exceptFields', 'rows'] as const;

function validateTypes(ctx: ValidationContext, path: readonly PathSegment[], value: unknown, model: DataModel): '*' | string[] | undefined {
  if (value === '*') return '*';
  if (value === undefined) {
    ctx.report(path, 'missing key types (governed type names, or "*" for all)');
    return undefined;
  }
  const names = stringList(ctx, path, value, 'governed type names');
  if (!names) return undefined;
  if (names.length === 0) {
    ctx.report(path, 'empty types list: the rule can never match');
    return undefined;
  }
  const known = Object.keys(model.types);
  let ok = true;
  names.forEach((name, i) => {
    if (model.types[name]) return;
    ok = false;
    ctx.report(
      [...path, i],
      name === '*'
        ? '"*" is not a type name; write types: "*" (not in a list) for every governed type'
        : `unknown type "${name}" (expected "*" or one of ${known.join(', ')})`,
    );
  });
  return ok ? names : undefined;
}

function validateFields(ctx: ValidationContext, path: readonly PathSegment[], value: unknown, types: readonly GovernedType[] | undefined): '*' | string[] | undefined {
  if (value === '*') return '*';
  if (value === undefined) {
    ctx.report(path, 'missing key fields (field names, or "*" for all)');
    return undefined;
  }
  const names = stringList(ctx, path, value, 'field names');
  if (!names) return undefined;
  if (names.length === 0) {
    ctx.report(path, 'empty fields list: the rule grants nothing');
    return undefined;
  }
  let ok = true;
  names.forEach((name, i) => {
    const missing = (types ?? []).filter((t) => !t.fields.includes(name)).map((t) => t.name);
    if (missing.length === 0) return;
    ok = false;
    const of = types && types.length > 1 ? ' (fields must exist on every listed type)' : '';
    ctx.report([...path, i], `unknown field "${name}" for type ${missing.join(', ')}${of}`);
  });
  return ok ? names : undefined;
}

function validateExcept(
  ctx: ValidationContext,
  path: readonly PathSegment[],
  value: unknown,
  types: readonly GovernedType[] | undefined,
  fields: '*' | string[] | undefined,
): string[] | undefined {
  if (value === undefined) return [];
  const names = stringList(ctx, path, value, 'field names');
  if (!names || !types || !fields) return undefined;
  let ok = true;
  names.forEach((name, i) => {
    const at = [...path, i];
    const holders = types.filter((t) => t.fields.includes(name));
    const keyOf = holders.find((t) => t.keyFields.includes(name));
    if (holders.length === 0) ctx.report(at, `unknown field "${name}" (not a field of ${types.map((t) => t.name).join(', ')})`);
    else if (keyOf) ctx.report(at, `"${name}" is a key field of ${keyOf.name}: key fields come with every visible row and cannot be excepted`);
    else if (fields !== '*' && !fields.includes(name)) ctx.report(at, `"${name}" is not granted by fields, so excepting it has no effect`);
    else return;
    ok = false;
  });
  if (!ok) return undefined;
  for (const type of types) {
    const granted = (fields === '*' ? type.fields : fields).filter((f) => !names.includes(f));
    if (granted.length === 0) ctx.report(path, `the rule can never match: it grants no field of ${type.name} once exceptFields are removed`);
  }
  return names;
}

/**
 * Validates one entry of `rules`, reporting each problem at its path; returns the rule when
 * it is valid. The caller checks ids for duplicates.
 * @example validateRule(ctx, 0, { id: 'own-users', who: { relationship: ['self'] }, types: '*', fields: '*' }, model, whoOptions)
 */
export function validateRule(
  ctx: ValidationContext,
  index: number,
  value: unknown,
  model: DataModel,
  whoOptions: WhoOptions,
): PolicyRule | undefined {
  const path: PathSegment[] = ['rules', index];
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
      [...path, 'id'],
      id === undefined
        ? 'missing key id (a unique rule id of lower-case letters, digits and -)'
        : `invalid rule id ${typeof id === 'string' ? JSON.stringify(id) : `(${describeValue(id)})`} (use lower-case letters, digits and -)`,
    );
  }
  ok = checkKeys(ctx, path, value, RULE_KEYS) && ok;
  const description = value.description;
  if (description !== undefined && typeof description !== 'string') {
    ctx.report([...path, 'description'], `expected a string, got ${describeValue(description)}`);
    ok = false;
  }
  const who = validateWho(ctx, [...path, 'who'], value.who, whoOptions);
  const types = validateTypes(ctx, [...path, 'types'], value.types, model);
  const governed = types === undefined ? undefined : types === '*' ? Object.values(model.types) : types.flatMap((t) => model.types[t] ?? []);
  const fields = validateFields(ctx, [...path, 'fields'], value.fields, governed);
  const exceptFields = validateExcept(ctx, [...path, 'exceptFields'], value.exceptFields, governed, fields);
  let rows: RowFilter | null | undefined = null;
  if (value.rows !== undefined) rows = governed ? parseRowFilter(ctx, [...path, 'rows'], value.rows, governed) : undefined;
  if (!ok || typeof id !== 'string' || !who || !types || !fields || !exceptFields || rows === undefined) return undefined;
  const rule: PolicyRule = { id, index, who, types, fields, exceptFields, rows };
  if (typeof description === 'string') rule.description = description;
  return rule;
}
