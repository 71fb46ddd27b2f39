import type { GovernedType } from '../schema/model.js';

/** What a scalar field holds, as far as coarsening and aggregates care. */
export type FieldKind = 'number' | 'date' | 'other';

const NUMBER_SCALARS = new Set(['Int', 'Float']);
const DATE_SCALARS = new Set(['DateTime', 'Date']);
const DATE_NAME = /(?:At|Date|Start|End)$|^eta$/;

/**
 * What a scalar field of a type holds. The data model does not carry scalar types yet: when a
 * `GovernedType` has a `scalarTypes` map (field → GraphQL scalar name) it is used; otherwise
 * a field is a date when its name ends in `At`, `Date`, `Start` or `End` or is `eta`, and a
 * number otherwise (`other` is only known with `scalarTypes`).
 * @example fieldKind(model.types.Lot, 'producedAt') // 'date'
 * @example fieldKind(model.types.Lot, 'quantity')   // 'number'
 */
export function fieldKind(type: GovernedType, field: string): FieldKind {
  const scalarTypes = (type as GovernedType & { scalarTypes?: Readonly<Record<string, string>> }).scalarTypes;
  const scalar = scalarTypes?.[field];
  if (scalar !== undefined) return NUMBER_SCALARS.has(scalar) ? 'number' : DATE_SCALARS.has(scalar) ? 'date' : 'other';
  return DATE_NAME.test(field) ? 'date' : 'number';
}
