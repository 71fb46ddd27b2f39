import type { DataModel } from '../schema/model.js';
import { throwIfIssues } from './PolicyError.js';
import type { PolicyDocument, PolicyRule } from './policyFile.js';
import { checkKeys, describeValue, ID_PATTERN, isRecord, ValidationContext } from './validationContext.js';
import { validateRule, type RuleOptions } from './validateRule.js';

/** What a policy is validated against. */
export interface ValidatePolicyOptions {
  /** The file the document came from, named in every message. */
  file: string;
  /** The governed types (from the firm subgraph SDL). */
  model: DataModel;
  /** The firm loading the policy: `firm` must equal it. Unchecked when absent. */
  expectedFirm?: string;
  /** The cluster's firm ids: `who.firms` may only name these. Unchecked when absent. */
  knownFirms?: readonly string[];
  /** The cluster's purpose vocabulary (from the cluster terms): `purposes` may only name these. Unchecked when absent. */
  purposes?: readonly string[];
  /**
   * The moment of loading: a rule whose validity window is over by then is refused as
   * expired. Unchecked when absent (`loadPolicyFile` passes the current time by default).
   */
  now?: Date;
}

const TOP_KEYS = ['version', 'firm', 'rules'] as const;

/**
 * Validates a `rules` list: each rule, and ids unique within the list (internal, shared by
 * policies and cluster terms).
 * @example validateRuleList(ctx, doc.rules, { model, who: { owner: 'structura', knownFirms: undefined }, version: 2, origin: 'firm', purposes: undefined, now: undefined })
 */
export function validateRuleList(ctx: ValidationContext, raw: unknown, options: RuleOptions): PolicyRule[] {
  const rules: PolicyRule[] = [];
  if (raw === undefined) ctx.report(['rules'], 'missing key rules (write rules: [] to deny everything)');
  else if (!Array.isArray(raw)) ctx.report(['rules'], `expected a list of rules, got ${describeValue(raw)}`);
  else {
    const seen = new Map<string, number>();
    raw.forEach((rawRule: unknown, index) => {
      const rule = validateRule(ctx, index, rawRule, options);
      const id = isRecord(rawRule) && typeof rawRule.id === 'string' ? rawRule.id : undefined;
      const first = id === undefined ? undefined : seen.get(id);
      if (id !== undefined && first !== undefined) {
        ctx.ruleId = ID_PATTERN.test(id) ? id : undefined;
        ctx.report(['rules', index, 'id'], `duplicate rule id "${id}" (first used by rules[${first}])`);
      } else if (id !== undefined) seen.set(id, index);
      if (rule) rules.push(rule);
    });
  }
  return rules;
}

/**
 * Validates a parsed policy document (plain data from YAML or JSON). Fails closed: any
 * problem throws one PolicyError listing every issue, each naming file, rule and key.
 * Version 1 files know the v1 keys only; version 2 adds effect, purposes, valid, mode,
 * coarsen, aggregate and reciprocity.
 * @example
 * validatePolicy({ version: 2, firm: 'structura', rules: [] }, { file: 'structura.yaml', model })
 * // { version: 2, firm: 'structura', file: 'structura.yaml', rules: [] }  (denies everything)
 */
export function validatePolicy(raw: unknown, options: ValidatePolicyOptions): PolicyDocument {
  const ctx = new ValidationContext(options.file);
  if (!isRecord(raw)) {
    ctx.report([], `expected a policy document (an object with version, firm, rules), got ${describeValue(raw)}`);
    throwIfIssues(ctx.issues);
  }
  const doc = isRecord(raw) ? raw : {};
  checkKeys(ctx, [], doc, TOP_KEYS);

  let version: 1 | 2 = 2;
  if (doc.version === undefined) ctx.report(['version'], 'missing key version (expected 1 or 2)');
  else if (doc.version === 1 || doc.version === 2) version = doc.version;
  else ctx.report(['version'], `unsupported version ${JSON.stringify(doc.version)} (expected 1 or 2)`);

  let firm: string | undefined;
  if (doc.firm === undefined) ctx.report(['firm'], 'missing key firm (the owner firm id)');
  else if (typeof doc.firm !== 'string' || !ID_PATTERN.test(doc.firm)) {
    ctx.report(['firm'], `expected a firm id (lower-case letters, digits and -), got ${describeValue(doc.firm)}`);
  } else if (options.expectedFirm !== undefined && doc.firm !== options.expectedFirm) {
    ctx.report(['firm'], `firm "${doc.firm}" does not match the firm loading this policy, "${options.expectedFirm}"`);
  } else firm = doc.firm;

  const rules = validateRuleList(ctx, doc.rules, {
    model: options.model,
    who: { owner: firm, knownFirms: options.knownFirms },
    version,
    origin: 'firm',
    purposes: options.purposes,
    now: options.now,
  });
  throwIfIssues(ctx.issues);
  return { version, firm: firm ?? '', file: options.file, rules };
}
