import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPolicyFile } from '../../../policies/loadPolicyFile.js';
import { PolicyError } from '../../../policies/PolicyError.js';
import { model } from './policyFixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'policies-'));

describe('loadPolicyFile', () => {
  it('reads JSON when the file ends in .json, naming the file by its path', () => {
    const path = join(dir, 'cuprum.json');
    writeFileSync(path, JSON.stringify({ version: 1, firm: 'cuprum', rules: [{ id: 'own', who: { relationship: ['self'] }, types: '*', fields: '*' }] }));
    const policy = loadPolicyFile(path, { model, expectedFirm: 'cuprum' });
    expect(policy).toMatchObject({ firm: 'cuprum', file: path });
    expect(policy.rules.map((r) => r.id)).toEqual(['own']);
  });

  it('reads YAML otherwise, and names the file as told', () => {
    const path = join(dir, 'cuprum.yaml');
    writeFileSync(path, 'version: 1\nfirm: cuprum\nrules:\n  - id: own\n    who: { relationship: [slf] }\n    types: "*"\n    fields: "*"\n');
    expect(() => loadPolicyFile(path, { model, file: 'policies/cuprum.yaml' })).toThrow(
      'policy file policies/cuprum.yaml, rule "own" (rules[0]), key who.relationship[0]: unknown relationship "slf" (expected one of self, customer, supplier, any-customer, any-supplier, member)',
    );
  });

  it('an unreadable file is a PolicyError too (fail closed)', () => {
    const path = join(dir, 'missing.yaml');
    let error: unknown;
    try {
      loadPolicyFile(path, { model });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PolicyError);
    expect((error as PolicyError).code).toBe('POLICY_INVALID');
    expect((error as PolicyError).message).toMatch(new RegExp(`^policy file ${path}: cannot read the file: ENOENT`));
  });
});
