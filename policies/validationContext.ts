import { policyIssue, type PathSegment, type PolicyIssue } from './PolicyError.js';

/** Collects the issues of one policy file while it is validated (internal to `policies/`). */
export class ValidationContext {
  readonly issues: PolicyIssue[] = [];
  /** The id of the rule being validated, once known to be valid. */
  ruleId: string | undefined;

  constructor(
    readonly file: string,
    /** How messages name the file: `policy file` or `cluster terms file`. */
    readonly source = 'policy file',
  ) {}

  /** Records a problem at a path from the document root. */
  report(path: readonly PathSegment[], reason: string): void {
    this.issues.push(policyIssue(this.file, path, this.ruleId, reason, this.source));
  }
}

/** A short description of a value for messages: `a string "x"`, `a list`, `null`... */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `a string ${JSON.stringify(value)}`;
  if (typeof value === 'number') return `a number ${value}`;
  if (typeof value === 'boolean') return `a boolean ${value}`;
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

/** A plain object (a YAML/JSON mapping). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reports every key not in `allowed`; returns true when there was none. */
export function checkKeys(
  ctx: ValidationContext,
  path: readonly PathSegment[],
  value: Record<string, unknown>,
  allowed: readonly string[],
): boolean {
  let ok = true;
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      ctx.report([...path, key], `unknown key "${key}" (expected one of ${allowed.join(', ')})`);
      ok = false;
    }
  }
  return ok;
}

/** A list of non-empty strings, or undefined after reporting what is wrong. */
export function stringList(
  ctx: ValidationContext,
  path: readonly PathSegment[],
  value: unknown,
  what: string,
): string[] | undefined {
  if (!Array.isArray(value)) {
    ctx.report(path, `expected a list of ${what}, got ${describeValue(value)}`);
    return undefined;
  }
  const out: string[] = [];
  let ok = true;
  value.forEach((item: unknown, i) => {
    if (typeof item !== 'string' || item === '') {
      ctx.report([...path, i], `expected ${what} to be non-empty strings, got ${describeValue(item)}`);
      ok = false;
    } else out.push(item);
  });
  return ok ? out : undefined;
}

/** Lower-case letters, digits and dashes: firm ids and rule ids. */
export const ID_PATTERN = /^[a-z0-9-]+$/;
