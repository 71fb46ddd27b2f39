import type { Relationship } from '../../../cluster/relationship.js';
import type { Caller } from '../../../identity/caller.js';
import { parsePolicy } from '../../../policies/parsePolicy.js';
import type { PolicyDocument } from '../../../policies/policyFile.js';
import { PolicyError, type PolicyIssue } from '../../../policies/PolicyError.js';
import { dataModelFromSdl } from '../../../schema/model.js';
import { subgraphSdl } from '../../../schema/supergraph.js';

/** The real data model of the firm subgraph. */
export const model = dataModelFromSdl(subgraphSdl('firm'));

export const FILE = 'demo/policies/structura.yaml';

/** A caller of a firm with roles. */
export function caller(firmId: string, roles: string[] = []): Caller {
  return { firmId, subject: `${firmId}-user`, roles, issuer: `https://${firmId}.example/idp` };
}

/** A policy of structura from YAML rules text (indented under `rules:`). */
export function structuraPolicy(rulesYaml: string): PolicyDocument {
  return parsePolicy(`version: 1\nfirm: structura\nrules:\n${rulesYaml}`, { file: FILE, model, expectedFirm: 'structura' });
}

/** The issues a policy text raises (fails the test when it validates). */
export function issuesOf(text: string, options: { file?: string; expectedFirm?: string; knownFirms?: string[] } = {}): PolicyIssue[] {
  try {
    parsePolicy(text, { model, ...options, file: options.file ?? FILE });
  } catch (error) {
    if (error instanceof PolicyError) return [...error.issues];
    throw error;
  }
  throw new Error('expected the policy to be invalid');
}

/** The issue messages of a structura policy with the given rules. */
export function ruleIssues(rulesYaml: string): string[] {
  return issuesOf(`version: 1\nfirm: structura\nrules:\n${rulesYaml}`, { expectedFirm: 'structura' }).map((i) => i.message);
}

export const CUSTOMER: readonly Relationship[] = ['customer', 'member'];
export const SUPPLIER: readonly Relationship[] = ['supplier', 'member'];
export const MEMBER: readonly Relationship[] = ['member'];
export const SELF: readonly Relationship[] = ['self'];

/** The purpose vocabulary of the v2 tests. */
export const PURPOSES = ['planning', 'quality-investigation', 'traceability', 'benchmarking'];

/** The injected "now" of the v2 tests. */
export const NOW = new Date('2026-11-27T10:00:00Z');

/** A version 2 policy of `firm` (default structura) from YAML rules text, validated against PURPOSES at NOW. */
export function v2Policy(rulesYaml: string, firm = 'structura'): PolicyDocument {
  return parsePolicy(`version: 2\nfirm: ${firm}\nrules:\n${rulesYaml}`, { file: FILE, model, expectedFirm: firm, purposes: PURPOSES, now: NOW });
}

/** The issue messages of a version 2 structura policy with the given rules. */
export function v2Issues(rulesYaml: string): string[] {
  try {
    v2Policy(rulesYaml);
  } catch (error) {
    if (error instanceof PolicyError) return error.issues.map((i) => i.message);
    throw error;
  }
  throw new Error('expected the policy to be invalid');
}
