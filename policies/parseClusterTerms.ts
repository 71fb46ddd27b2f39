import { createHash } from 'node:crypto';
import type { DataModel } from '../schema/model.js';
import { formatOf, parseStructuredText } from './parseStructuredText.js';
import { throwIfIssues } from './PolicyError.js';
import type { ClusterTerms, PurposeDefinition } from './policyFile.js';
import { validateRuleList } from './validatePolicy.js';
import { checkKeys, describeValue, ID_PATTERN, isRecord, ValidationContext } from './validationContext.js';

/** What cluster terms are validated against. */
export interface ParseClusterTermsOptions {
  /** The file the terms came from, named in every message. */
  file: string;
  model: DataModel;
  /** Refuse rules whose validity is over by then; unchecked when absent. */
  now?: Date;
  format?: 'yaml' | 'json';
}

const TOP_KEYS = ['version', 'cluster', 'purposes', 'rules'] as const;

/** JSON with object keys sorted, so that equal documents hash equally whatever their key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isRecord(value)) {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function purposesOf(ctx: ValidationContext, value: unknown): PurposeDefinition[] {
  if (value === undefined) {
    ctx.report(['purposes'], 'missing key purposes (the purpose vocabulary: a list of { id, description })');
    return [];
  }
  if (!Array.isArray(value)) {
    ctx.report(['purposes'], `expected a list of { id, description }, got ${describeValue(value)}`);
    return [];
  }
  const out: PurposeDefinition[] = [];
  value.forEach((item: unknown, i) => {
    const at = ['purposes', i];
    if (!isRecord(item)) ctx.report(at, `expected { id, description }, got ${describeValue(item)}`);
    else if (checkKeys(ctx, at, item, ['id', 'description'])) {
      const { id, description } = item;
      if (typeof id !== 'string' || !ID_PATTERN.test(id)) ctx.report([...at, 'id'], `expected a purpose id (lower-case letters, digits and -), got ${describeValue(id)}`);
      else if (out.some((p) => p.id === id)) ctx.report([...at, 'id'], `duplicate purpose "${id}"`);
      else if (typeof description !== 'string' || description.trim() === '') ctx.report([...at, 'description'], `expected a description, got ${describeValue(description)}`);
      else out.push({ id, description });
    }
  });
  return out;
}

/**
 * Parses and validates the cluster terms (pure: the caller reads the file): the purpose
 * vocabulary, baseline permits every member grants and prohibitions no firm can override.
 * Same rule format as a version 2 policy file, but a terms rule binds every member alike, so
 * it may name neither `firms` nor relationship `self`. Rule ids become `cluster:<id>`; the
 * terms' `version` is the SHA-256 of the canonical document. Fails closed like policies.
 * @example
 * const terms = parseClusterTerms(readFileSync('demo/clusterTerms.yaml', 'utf8'), { file: 'demo/clusterTerms.yaml', model });
 * terms.purposes.map((p) => p.id) // ['planning', 'quality-investigation', ...]
 */
export function parseClusterTerms(text: string, options: ParseClusterTermsOptions): ClusterTerms {
  const source = 'cluster terms file';
  const raw = parseStructuredText(text, options.file, options.format ?? formatOf(options.file), source);
  const ctx = new ValidationContext(options.file, source);
  if (!isRecord(raw)) {
    ctx.report([], `expected cluster terms (an object with version, purposes, rules), got ${describeValue(raw)}`);
    throwIfIssues(ctx.issues);
  }
  const doc = isRecord(raw) ? raw : {};
  checkKeys(ctx, [], doc, TOP_KEYS);
  if (doc.version === undefined) ctx.report(['version'], 'missing key version (expected 1)');
  else if (doc.version !== 1) ctx.report(['version'], `unsupported version ${JSON.stringify(doc.version)} (expected 1)`);
  if (doc.cluster !== undefined && (typeof doc.cluster !== 'string' || !ID_PATTERN.test(doc.cluster))) {
    ctx.report(['cluster'], `expected a cluster id (lower-case letters, digits and -), got ${describeValue(doc.cluster)}`);
  }
  const purposes = purposesOf(ctx, doc.purposes);
  const rules = validateRuleList(ctx, doc.rules, {
    model: options.model,
    who: { owner: undefined, knownFirms: undefined, clusterWide: true },
    version: 2,
    origin: 'cluster',
    purposes: purposes.map((p) => p.id),
    now: options.now,
  });
  throwIfIssues(ctx.issues);
  return {
    version: createHash('sha256').update(canonical(raw)).digest('hex'),
    file: options.file,
    purposes,
    rules: rules.map((r) => ({ ...r, id: `cluster:${r.id}` })),
  };
}
