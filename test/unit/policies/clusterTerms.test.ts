import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decideAccess } from '../../../policies/decideAccess.js';
import { effectivePolicy } from '../../../policies/effectivePolicy.js';
import { fieldAccess } from '../../../policies/fieldAccess.js';
import { loadClusterTerms } from '../../../policies/loadClusterTerms.js';
import { parseClusterTerms } from '../../../policies/parseClusterTerms.js';
import { PolicyError } from '../../../policies/PolicyError.js';
import { caller, model, NOW, v2Policy } from './policyFixtures.js';

const F = 'terms.yaml';
const PURPOSES = 'purposes:\n  - { id: planning, description: Planning. }\n  - { id: traceability, description: Tracing lots. }\n';
const TERMS = `version: 1
cluster: test
${PURPOSES}rules:
  - id: shipment-status
    who: { relationship: [customer] }
    types: [Shipment]
    fields: [status, eta]
    rows: { customerId: $caller.firm }
  - id: no-unit-costs
    effect: deny
    who: { relationship: [member] }
    types: [Part]
    fields: [unitCost]
`;

function termsIssues(text: string): string[] {
  try {
    parseClusterTerms(text, { file: F, model, now: NOW });
  } catch (error) {
    if (error instanceof PolicyError) return error.issues.map((i) => i.message);
    throw error;
  }
  throw new Error('expected invalid terms');
}

describe('parseClusterTerms', () => {
  const terms = parseClusterTerms(TERMS, { file: F, model });

  it('reads the vocabulary and the rules (origin cluster, ids cluster:<id>)', () => {
    expect(terms.purposes).toEqual([{ id: 'planning', description: 'Planning.' }, { id: 'traceability', description: 'Tracing lots.' }]);
    expect(terms.rules.map((r) => [r.id, r.origin, r.effect])).toEqual([
      ['cluster:shipment-status', 'cluster', 'permit'],
      ['cluster:no-unit-costs', 'cluster', 'deny'],
    ]);
    expect(terms.file).toBe(F);
  });

  it('version is the SHA-256 of the canonical document: key order and layout do not change it, content does', () => {
    expect(terms.version).toMatch(/^[0-9a-f]{64}$/);
    const reordered = TERMS.replace('version: 1\ncluster: test\n', 'cluster: test\nversion: 1\n').replace('{ id: planning, description: Planning. }', '{ description: Planning., id: planning }');
    expect(parseClusterTerms(reordered, { file: F, model }).version).toBe(terms.version);
    expect(parseClusterTerms(TERMS.replace('[status, eta]', '[status]'), { file: F, model }).version).not.toBe(terms.version);
  });

  it.each([
    ['version: 2\npurposes: []\nrules: []', `cluster terms file ${F}, key version: unsupported version 2 (expected 1)`],
    ['version: 1\nrules: []', `cluster terms file ${F}, key purposes: missing key purposes (the purpose vocabulary: a list of { id, description })`],
    ['version: 1\npurposes: [{ id: Planning, description: x }]\nrules: []', `cluster terms file ${F}, key purposes[0].id: expected a purpose id (lower-case letters, digits and -), got a string "Planning"`],
    ['version: 1\npurposes: [{ id: a, description: x }, { id: a, description: y }]\nrules: []', `cluster terms file ${F}, key purposes[1].id: duplicate purpose "a"`],
    ['version: 1\npurposes: [{ id: a }]\nrules: []', `cluster terms file ${F}, key purposes[0].description: expected a description, got nothing`],
    ['version: 1\npurposes: []\nrules: []\nextra: 1', `cluster terms file ${F}, key extra: unknown key "extra" (expected one of version, cluster, purposes, rules)`],
    [
      `version: 1\n${PURPOSES}rules:\n  - id: r\n    who: { firms: [skyframe] }\n    types: [Part]\n    fields: "*"`,
      `cluster terms file ${F}, rule "r" (rules[0]), key who.firms: the cluster terms bind every member alike: a rule may not name firms (use relationship and roles)`,
    ],
    [
      `version: 1\n${PURPOSES}rules:\n  - id: r\n    who: { relationship: [self] }\n    types: [Part]\n    fields: "*"`,
      `cluster terms file ${F}, rule "r" (rules[0]), key who.relationship[0]: the cluster terms govern what members see of each other: relationship self is not allowed (each firm grants its own users in its own policy)`,
    ],
    [
      `version: 1\n${PURPOSES}rules:\n  - id: r\n    who: { relationship: [member] }\n    types: [Part]\n    fields: "*"\n    purposes: [benchmarking]`,
      `cluster terms file ${F}, rule "r" (rules[0]), key purposes[0]: unknown purpose "benchmarking" (cluster purposes: planning, traceability)`,
    ],
    [
      `version: 1\n${PURPOSES}rules:\n  - id: r\n    who: { relationship: [member] }\n    types: [Part]\n    fields: [unitCosts]`,
      `cluster terms file ${F}, rule "r" (rules[0]), key fields[0]: unknown field "unitCosts" for type Part`,
    ],
    ['version: 1\npurposes: [\n', expect.stringMatching(/^cluster terms file terms\.yaml: invalid YAML: /)],
  ])('refuses %#', (text, message) => {
    expect(termsIssues(text)).toEqual([message]);
  });

  it('lists every problem in one error', () => {
    expect(() => parseClusterTerms('version: 2\npurposes: 3\nrules: 4', { file: F, model })).toThrow(/^cluster terms file terms\.yaml is invalid \(3 problems\):/);
  });

  it('loadClusterTerms reads a file; an unreadable one is a PolicyError', () => {
    const dir = mkdtempSync(join(tmpdir(), 'terms-'));
    const path = join(dir, 'terms.yaml');
    writeFileSync(path, TERMS);
    expect(loadClusterTerms(path, { model }).rules).toHaveLength(2);
    expect(() => loadClusterTerms(join(dir, 'missing.yaml'), { model })).toThrow(/^cluster terms file .*missing\.yaml: cannot read the file: ENOENT/);
  });
});

describe('cluster terms in decisions', () => {
  const terms = parseClusterTerms(TERMS, { file: F, model });
  const own = v2Policy(`
  - id: customers-parts
    who: { relationship: [customer] }
    types: [Part]
    fields: "*"
  - id: own
    who: { relationship: [self] }
    types: "*"
    fields: "*"
`);
  const policy = effectivePolicy(own, terms, []);

  it('a cluster prohibition wins over a firm permit; the owner\'s own users are untouched', () => {
    const d = decideAccess(policy, model, { caller: caller('skyframe'), relationships: ['customer', 'member'], type: 'Part', now: NOW });
    expect(d.matchedRules).toEqual(['cluster:no-unit-costs', 'customers-parts']);
    expect(d.visibleFields.has('unitCost')).toBe(false);
    const access = fieldAccess(d, 'unitCost', {});
    expect(access.allowed === false && access.reason).toBe(
      'firm structura may not show skyframe (customer, member; roles none) the field unitCost of Part: prohibited by rule cluster:no-unit-costs (cluster terms)',
    );
    const self = decideAccess(policy, model, { caller: caller('structura'), relationships: ['self'], type: 'Part', now: NOW });
    expect(self.visibleFields.has('unitCost')).toBe(true);
  });

  it('a baseline permit grants even where the firm\'s own rules do not', () => {
    const d = decideAccess(policy, model, { caller: caller('skyframe'), relationships: ['customer', 'member'], type: 'Shipment', now: NOW });
    expect(d.matchedRules).toEqual(['cluster:shipment-status']);
    expect(d.grants[0]?.origin).toBe('cluster');
    expect(d.rowFilter).toEqual({ kind: 'cmp', field: 'customerId', op: 'eq', value: 'skyframe' });
    expect([...d.visibleFields].sort()).toEqual(['eta', 'firmId', 'shipmentId', 'status']);
  });

  it('the lead firm gets no implicit access', () => {
    const d = decideAccess(policy, model, { caller: caller('skyframe', ['admin']), relationships: ['any-customer', 'member'], type: 'Lot', now: NOW });
    expect(d.rowFilter).toBe('none');
  });
});
