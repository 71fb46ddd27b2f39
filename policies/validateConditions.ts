import type { DataModel } from '../schema/model.js';
import type { PathSegment } from './PolicyError.js';
import type { ValidityWindow } from './policyFile.js';
import { checkKeys, describeValue, isRecord, stringList, type ValidationContext } from './validationContext.js';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/;

/**
 * An ISO date or date-time as an instant; a date-time without zone is UTC. A date alone is
 * 00:00 UTC of that day, or, as an `until` (`endOfDay`), 00:00 UTC of the next day (so that
 * `until: 2026-12-31` includes the 31st). Undefined when the text is not a real date.
 * @example isoInstant('2026-12-31', true)?.toISOString() // '2027-01-01T00:00:00.000Z'
 */
export function isoInstant(text: string, endOfDay = false): Date | undefined {
  if (DATE_ONLY.test(text)) {
    const day = new Date(`${text}T00:00:00Z`);
    if (Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== text) return undefined;
    return endOfDay ? new Date(day.getTime() + 86_400_000) : day;
  }
  const m = DATE_TIME.exec(text);
  if (!m) return undefined;
  const at = new Date(m[2] === undefined ? `${text}Z` : text);
  const day = new Date(`${m[1] ?? ''}T00:00:00Z`);
  if (Number.isNaN(at.getTime()) || Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== m[1]) return undefined;
  return at;
}

/**
 * Validates `purposes`: a non-empty list of purpose ids; with the cluster vocabulary, each
 * must be one of it.
 * @example validatePurposes(ctx, ['rules', 0, 'purposes'], ['planning'], ['planning', 'traceability']) // ['planning']
 */
export function validatePurposes(
  ctx: ValidationContext,
  path: readonly PathSegment[],
  value: unknown,
  vocabulary: readonly string[] | undefined,
): string[] | undefined {
  if (value === undefined) return [];
  const ids = stringList(ctx, path, value, 'purpose ids');
  if (!ids) return undefined;
  if (ids.length === 0) {
    ctx.report(path, 'empty purposes list: the rule can never match (omit purposes for a rule that needs none)');
    return undefined;
  }
  let ok = true;
  ids.forEach((id, i) => {
    if (vocabulary && !vocabulary.includes(id)) {
      ctx.report([...path, i], `unknown purpose "${id}" (cluster purposes: ${vocabulary.join(', ') || 'none'})`);
      ok = false;
    }
  });
  return ok ? ids : undefined;
}

function instant(ctx: ValidationContext, path: readonly PathSegment[], value: unknown, endOfDay: boolean): Date | undefined | null {
  if (value === undefined) return null;
  const at = value instanceof Date ? value : typeof value === 'string' ? isoInstant(value, endOfDay) : undefined;
  if (at && !Number.isNaN(at.getTime())) return at;
  ctx.report(path, `expected an ISO date or date-time (e.g. "2026-12-01" or "2026-12-01T08:00:00Z"), got ${describeValue(value)}`);
  return undefined;
}

/**
 * Validates `valid: { from, until }`: ISO dates or instants, `from` before `until`, and (when
 * `now` is given) not over already: a rule that can no longer match is refused as expired.
 * @example validateValidity(ctx, ['rules', 0, 'valid'], { until: '2027-03-31' }, new Date('2026-11-27'))
 * // { until: 2027-04-01T00:00:00.000Z }
 */
export function validateValidity(
  ctx: ValidationContext,
  path: readonly PathSegment[],
  value: unknown,
  now: Date | undefined,
): ValidityWindow | undefined {
  if (value === undefined) return {};
  if (!isRecord(value)) {
    ctx.report(path, `expected an object with from and/or until, got ${describeValue(value)}`);
    return undefined;
  }
  if (!checkKeys(ctx, path, value, ['from', 'until'])) return undefined;
  if (value.from === undefined && value.until === undefined) {
    ctx.report(path, 'empty valid: give from, until or both (omit valid for a rule always in force)');
    return undefined;
  }
  const from = instant(ctx, [...path, 'from'], value.from, false);
  const until = instant(ctx, [...path, 'until'], value.until, true);
  if (from === undefined || until === undefined) return undefined;
  if (from && until && until.getTime() <= from.getTime()) {
    ctx.report([...path, 'until'], `the rule can never match: valid.until (${until.toISOString()}) is not after valid.from (${from.toISOString()})`);
    return undefined;
  }
  if (until && now && until.getTime() <= now.getTime()) {
    ctx.report([...path, 'until'], `the rule can never match: it expired at ${until.toISOString()} (remove the rule or extend valid.until)`);
    return undefined;
  }
  const window: ValidityWindow = {};
  if (from) window.from = from;
  if (until) window.until = until;
  return window;
}

/**
 * Validates `reciprocity: { types: [...] }`: governed types the caller must grant the owner.
 * @example validateReciprocity(ctx, ['rules', 0, 'reciprocity'], { types: ['ProductionRun'] }, model) // ['ProductionRun']
 */
export function validateReciprocity(
  ctx: ValidationContext,
  path: readonly PathSegment[],
  value: unknown,
  model: DataModel,
): string[] | undefined {
  if (value === undefined) return [];
  if (!isRecord(value)) {
    ctx.report(path, `expected an object with types (the types the caller must grant the owner in return), got ${describeValue(value)}`);
    return undefined;
  }
  if (!checkKeys(ctx, path, value, ['types'])) return undefined;
  if (value.types === undefined) {
    ctx.report([...path, 'types'], 'missing key types (the types the caller must grant the owner in return)');
    return undefined;
  }
  const names = stringList(ctx, [...path, 'types'], value.types, 'governed type names');
  if (!names) return undefined;
  if (names.length === 0) {
    ctx.report([...path, 'types'], 'empty types list: the rule can never match (omit reciprocity for none)');
    return undefined;
  }
  let ok = true;
  names.forEach((name, i) => {
    if (model.types[name]) return;
    ok = false;
    ctx.report([...path, 'types', i], `unknown type "${name}" (expected one of ${Object.keys(model.types).join(', ')})`);
  });
  return ok ? names : undefined;
}
