import type { DataModel } from '../schema/model.js';
import { throwIfIssues } from './PolicyError.js';
import type { PolicyDocument, PolicyRule } from './policyFile.js';
import { checkKeys, describeValue, ID_PATTERN, isRecord, ValidationContext } from './validationContext.js';
import { validateRule } from './validateRule.js';

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
}

const TOP_KEYS = ['version', 'firm', 'rules'] as const;

/**
 * Validates a parsed policy document (plain data from YAML or JSON). Fails closed: any
 * problem throws one PolicyError listing every issue, each naming file, rule and key.
 * @example
 * validatePolicy({ version: 1, firm: 'structura', rules: [] }, { file: 'structura.yaml', model })
 * // { version: 1, firm: 'structura', file: 'structura.yaml', rules: [] }  (denies everything)
 */
export function validatePolicy(raw: unknown, options: ValidatePolicyOptions): PolicyDocument {
  const ctx = new ValidationContext(options.file);
  if (!isRecord(raw)) {
    ctx.report([], `expected a policy document (an object with version, firm, rules), got ${describeValue(raw)}`);
    throwIfIssues(ctx.issues);
  }
  const doc = isRecord(raw) ? raw : {};
  checkKeys(ctx, [], doc, TOP_KEYS);

  if (doc.version === undefined) ctx.report(['version'], 'missing key version (expected 1)');
  else if (doc.version !== 1) ctx.report(['version'], `unsupported version ${JSON.stringify(doc.version)} (expected 1)`);

  let firm: string | undefined;
  if (doc.firm === undefined) ctx.report(['firm'], 'missing key firm (the owner firm id)');
  else if (typeof doc.firm !== 'string' || !ID_PATTERN.test(doc.firm)) {
    ctx.report(['firm'], `expected a firm id (lower-case letters, digits and -), got ${describeValue(doc.firm)}`);
  } else if (options.expectedFirm !== undefined && doc.firm !== options.expectedFirm) {
    ctx.report(['firm'], `firm "${doc.firm}" does not match the firm loading this policy, "${options.expectedFirm}"`);
  } else firm = doc.firm;

  const rules: PolicyRule[] = [];
  if (doc.rules === undefined) ctx.report(['rules'], 'missing key rules (write rules: [] to deny everything)');
  else if (!Array.isArray(doc.rules)) ctx.report(['rules'], `expected a list of rules, got ${describeValue(doc.rules)}`);
  else {
    const seen = new Map<string, number>();
    const whoOptions = { owner: firm, knownFirms: options.knownFirms };
    doc.rules.forEach((rawRule: unknown, index) => {
      const rule = validateRule(ctx, index, rawRule, options.model, whoOptions);
      const id = isRecord(rawRule) && typeof rawRule.id === 'string' ? rawRule.id : undefined;
      const first = id === undefined ? undefined : seen.get(id);
      if (id !== undefined && first !== undefined) {
        ctx.ruleId = ID_PATTERN.test(id) ? id : undefined;
        ctx.report(['rules', index, 'id'], `duplicate rule id "${id}" (first used by rules[${first}])`);
      } else if (id !== undefined) seen.set(id, index);
      if (rule) rules.push(rule);
    });
  }
  throwIfIssues(ctx.issues);
  return { version: 1, firm: firm ?? '', file: options.file, rules };
}
