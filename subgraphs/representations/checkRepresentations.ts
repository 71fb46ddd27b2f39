import { GraphQLError } from 'graphql';
import type { EntityKeys } from './entityKeys.js';

/** The longest key value (an ID) a representation may carry, in UTF-16 code units. */
export const MAX_KEY_LENGTH = 256;

/**
 * A representation that passed {@link checkRepresentations}: `__typename` names an entity
 * type of the subgraph and every key field of that type is a sane string. Nothing else.
 */
export type Representation = { readonly __typename: string } & Readonly<Record<string, string>>;

/** The refusal of a bad representation: the caller's mistake, with a stable code and where it is. */
export function representationError(message: string, index?: number, field?: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: 'BAD_USER_INPUT', ...(index === undefined ? {} : { index }), ...(field === undefined ? {} : { field }) },
  });
}

/**
 * What a value is, for a message: `a string`, `a list`, `an object`, `null`, `missing`...
 * It never converts or echoes the value (its toString may throw, recurse or be huge).
 * @example `lotId must be a string (an ID), not ${kindOf(['x'])}` // '… not a list'
 */
export function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  switch (typeof value) {
    case 'string':
      return 'a string';
    case 'number':
    case 'bigint':
      return 'a number';
    case 'boolean':
      return 'a boolean';
    case 'undefined':
      return 'missing';
    default:
      return 'an object';
  }
}

/** A name from the request, quoted and cut short for a message. */
function quoted(name: string): string {
  return JSON.stringify(name.length > 40 ? `${name.slice(0, 40)}…` : name);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  // JSON objects have Object.prototype; graphql-js builds literal objects without a prototype.
  return proto === Object.prototype || proto === null;
}

const CONTROL = /[\u0000-\u001f\u007f]/;

function checkKey(value: unknown, at: string, index: number, field: string): string {
  if (typeof value !== 'string') throw representationError(`${at} must be a string (an ID), not ${kindOf(value)}.`, index, field);
  if (value.length === 0) throw representationError(`${at} must not be empty.`, index, field);
  if (value.length > MAX_KEY_LENGTH) throw representationError(`${at} is ${value.length} characters long; an ID has at most ${MAX_KEY_LENGTH}.`, index, field);
  const control = CONTROL.exec(value);
  if (control) {
    const code = control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    throw representationError(`${at} contains a control character (U+${code}).`, index, field);
  }
  return value;
}

/** Checks one representation and returns a fresh copy holding only what was checked. */
function checkOne(rep: unknown, index: number, entities: EntityKeys, argument: string): Representation {
  const at = `${argument}[${index}]`;
  if (!isPlainObject(rep)) throw representationError(`${at} must be an object with __typename and the type's key fields, not ${kindOf(rep)}.`, index);
  const typename = rep.__typename;
  if (typeof typename !== 'string') throw representationError(`${at}.__typename must be a string naming an entity type, not ${kindOf(typename)}.`, index, '__typename');
  const keys = entities.get(typename);
  if (!keys) {
    throw representationError(`${at}.__typename ${quoted(typename)} is not an entity type this subgraph resolves (${[...entities.keys()].join(', ')}).`, index, '__typename');
  }
  for (const property of Object.keys(rep)) {
    if (property !== '__typename' && !keys.includes(property)) {
      throw representationError(
        `${at} has a property ${quoted(property)} that is not a key field of ${typename}: a representation carries only __typename and ${keys.join(', ')}.`,
        index,
        property,
      );
    }
  }
  const checked: Record<string, string> = { __typename: typename };
  for (const key of keys) {
    if (!Object.hasOwn(rep, key)) throw representationError(`${at}.${key} is missing: a ${typename} representation carries __typename and ${keys.join(', ')}.`, index, key);
    checked[key] = checkKey(rep[key], `${at}.${key}`, index, key);
  }
  return checked as Representation;
}

/**
 * Checks the `representations` argument of an `_entities` field before anything reads it:
 * a list (a single value counts as a list of one, as GraphQL coerces it) of plain objects,
 * each with a string `__typename` naming an entity type of this subgraph, every key field of
 * that type present and a non-empty string of at most {@link MAX_KEY_LENGTH} characters
 * without control characters, and no other property. No value is converted or walked into,
 * so an object with a hostile `toString` or a 20,000-deep list is refused like any other
 * non-string. Returns fresh representations that hold only the checked fields; throws a
 * BAD_USER_INPUT GraphQLError naming the index and the field on the first fault.
 * @example checkRepresentations([{ __typename: 'Lot', firmId: 'structura', lotId: 'L1' }], entityKeysOf(schema));
 */
export function checkRepresentations(value: unknown, entities: EntityKeys, argument = 'representations'): Representation[] {
  const list: readonly unknown[] = Array.isArray(value) ? value : [value];
  return list.map((rep, index) => checkOne(rep, index, entities, argument));
}
