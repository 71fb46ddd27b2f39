import type { DataModel } from '../../../schema/model.js';

/** `AccessRequestInput` as GraphQL hands it over. */
export interface AccessRequestInput {
  types: readonly string[];
  fields: readonly string[];
  purpose: string;
  days: number;
  note?: string | null;
}

/** A valid request: types and fields deduplicated in order, purpose and note trimmed. */
export interface ValidAccessRequest {
  types: string[];
  fields: string[];
  purpose: string;
  days: number;
  note: string | null;
}

export type AccessRequestValidation =
  | { ok: true; value: ValidAccessRequest }
  | { ok: false; key: keyof AccessRequestInput; message: string };

export interface AccessRequestLimits {
  /** The cluster's purpose vocabulary; absent = any non-empty purpose. */
  purposes?: readonly string[];
}

export const MAX_DAYS = 365;
export const MAX_NOTE_CHARS = 1000;
export const MAX_PURPOSE_CHARS = 200;

const unique = (values: readonly string[]): string[] => [...new Set(values)];

/**
 * Checks an access request against the owner's data model: `types` governed types of the
 * model (at least one), `fields` fields of every listed type or exactly `['*']`, `purpose`
 * non-empty (and in the cluster's vocabulary when one is given), `days` an integer
 * 1..365, `note` at most 1000 characters. Refusals name the input key. Pure.
 *
 * @example
 * validateAccessRequestInput({ types: ['Shipment'], fields: ['eta'], purpose: 'planning', days: 30 }, model);
 * // { ok: true, value: { types: ['Shipment'], fields: ['eta'], purpose: 'planning', days: 30, note: null } }
 * validateAccessRequestInput({ types: ['Secret'], fields: ['*'], purpose: 'x', days: 1 }, model);
 * // { ok: false, key: 'types', message: 'input.types: Secret is not a governed type; ...' }
 */
export function validateAccessRequestInput(
  input: AccessRequestInput,
  model: DataModel,
  limits: AccessRequestLimits = {},
): AccessRequestValidation {
  const refuse = (key: keyof AccessRequestInput, message: string): AccessRequestValidation => ({ ok: false, key, message: `input.${key}: ${message}` });
  const governed = Object.keys(model.types);
  const types = unique(input.types.map((t) => t.trim()));
  if (types.length === 0) return refuse('types', `name at least one governed type (${governed.join(', ')})`);
  const unknownType = types.find((t) => !model.types[t]);
  if (unknownType !== undefined) return refuse('types', `${unknownType} is not a governed type; expected one of ${governed.join(', ')}`);

  const fields = unique(input.fields.map((f) => f.trim()));
  if (fields.length === 0) return refuse('fields', 'name at least one field, or ["*"] for all fields');
  if (fields.includes('*') && fields.length > 1) return refuse('fields', '"*" stands for all fields and cannot be combined with field names');
  if (!fields.includes('*')) {
    for (const type of types) {
      const missing = fields.find((f) => !model.types[type]?.fields.includes(f));
      if (missing !== undefined) return refuse('fields', `${type} has no field ${missing}`);
    }
  }

  const purpose = input.purpose.trim();
  if (purpose === '') return refuse('purpose', 'must not be empty');
  if (purpose.length > MAX_PURPOSE_CHARS) return refuse('purpose', `must be at most ${MAX_PURPOSE_CHARS} characters`);
  if (limits.purposes && !limits.purposes.includes(purpose)) {
    return refuse('purpose', `${purpose} is not a purpose of the cluster terms; expected one of ${limits.purposes.join(', ')}`);
  }

  if (!Number.isInteger(input.days) || input.days < 1 || input.days > MAX_DAYS) {
    return refuse('days', `must be a whole number of days from 1 to ${MAX_DAYS}, got ${input.days}`);
  }
  const note = input.note?.trim() ?? '';
  if (note.length > MAX_NOTE_CHARS) return refuse('note', `must be at most ${MAX_NOTE_CHARS} characters, got ${note.length}`);

  return { ok: true, value: { types, fields, purpose, days: input.days, note: note === '' ? null : note } };
}
