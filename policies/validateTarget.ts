import type { DataModel, GovernedType } from '../schema/model.js';
import type { PathSegment } from './PolicyError.js';
import { stringList, type ValidationContext } from './validationContext.js';

/* The "what" of a rule: its types, fields and excepted fields (validation internals). */

/**
 * Validates `types`: governed type names, or `"*"` (expanded here to every governed type).
 * @example validateTypes(ctx, ['rules', 0, 'types'], ['Lot'], model) // ['Lot']
 */
export function validateTypes(ctx: ValidationContext, path: readonly PathSegment[], value: unknown, model: DataModel): string[] | undefined {
  if (value === '*') return Object.keys(model.types);
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

/** For a connection's name (`lotsConnection`): it is governed as its list, which is the name to write. */
function connectionHint(types: readonly GovernedType[], name: string): string {
  const list = types.map((t) => t.connections[name]).find((l) => l !== undefined);
  return list === undefined ? '' : `; ${name} pages the list ${list} and is governed as it: write "${list}", which covers both`;
}

/**
 * Validates `fields`: `"*"` or names that exist on every listed type.
 * @example validateFields(ctx, ['rules', 0, 'fields'], ['name'], [model.types.Part]) // ['name']
 */
export function validateFields(ctx: ValidationContext, path: readonly PathSegment[], value: unknown, types: readonly GovernedType[] | undefined): '*' | string[] | undefined {
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
    ctx.report([...path, i], `unknown field "${name}" for type ${missing.join(', ')}${of}${connectionHint(types ?? [], name)}`);
  });
  return ok ? names : undefined;
}

/**
 * Validates `exceptFields`: granted, non-key fields of the listed types, leaving each type some field.
 * @example validateExcept(ctx, ['rules', 0, 'exceptFields'], ['carrier'], [model.types.Shipment], '*') // ['carrier']
 */
export function validateExcept(
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
    if (holders.length === 0) ctx.report(at, `unknown field "${name}" (not a field of ${types.map((t) => t.name).join(', ')})${connectionHint(types, name)}`);
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
