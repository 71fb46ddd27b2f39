import { describe, expect, it } from 'vitest';
import { agreementRule } from '../../../policies/agreementRule.js';
import { decideAccess } from '../../../policies/decideAccess.js';
import { effectivePolicy } from '../../../policies/effectivePolicy.js';
import { parseClusterTerms } from '../../../policies/parseClusterTerms.js';
import type { AgreementGrant } from '../../../policies/policyFile.js';
import { caller, model, NOW, v2Policy } from './policyFixtures.js';

const grant: AgreementGrant = {
  agreementId: 'ag-1',
  holderId: 'cuprum',
  types: ['Lot', 'Part'],
  fields: ['*'],
  purpose: 'traceability',
  validFrom: new Date('2026-11-01T00:00:00Z'),
  validUntil: new Date('2026-12-01T00:00:00Z'),
};
const terms = parseClusterTerms(
  'version: 1\npurposes: [{ id: traceability, description: t }]\nrules:\n  - id: no-unit-costs\n    effect: deny\n    who: { relationship: [member] }\n    types: [Part]\n    fields: [unitCost]\n',
  { file: 'terms.yaml', model },
);
const own = v2Policy('  - id: own\n    who: { relationship: [self] }\n    types: "*"\n    fields: "*"\n');
const policy = effectivePolicy(own, terms, [grant, { ...grant, agreementId: 'ag-2', holderId: 'alumill', types: ['Shipment'], fields: ['status', 'eta'] }]);

function decide(firm: string, type: string, purpose: string | undefined, now = NOW) {
  const c = caller(firm);
  if (purpose) c.purpose = purpose;
  return decideAccess(policy, model, { caller: c, relationships: ['member'], type, now });
}

describe('agreements', () => {
  it('agreementRule: a permit for the holder only, with its purpose and window, mode full', () => {
    expect(agreementRule(grant)).toEqual({
      id: 'agreement:ag-1',
      description: 'Agreement ag-1 granted to cuprum for traceability',
      index: 0,
      origin: 'agreement',
      effect: 'permit',
      who: { firms: ['cuprum'] },
      types: ['Lot', 'Part'],
      fields: '*',
      exceptFields: [],
      rows: null,
      purposes: ['traceability'],
      valid: { from: grant.validFrom, until: grant.validUntil },
      mode: 'full',
      coarsen: {},
      aggregate: null,
      reciprocity: [],
    });
    expect(agreementRule({ ...grant, fields: ['status'] }).fields).toEqual(['status']);
  });

  it('effectivePolicy: cluster rules first, then the firm\'s, then agreements', () => {
    expect(policy.owner).toBe('structura');
    expect(policy.rules.map((r) => r.id)).toEqual(['cluster:no-unit-costs', 'own', 'agreement:ag-1', 'agreement:ag-2']);
    expect(effectivePolicy(own, undefined, []).rules.map((r) => r.id)).toEqual(['own']);
  });

  it('acts for its holder, with the purpose, inside the window', () => {
    const d = decide('cuprum', 'Lot', 'traceability');
    expect(d.matchedRules).toEqual(['agreement:ag-1']);
    expect(d.grants[0]?.origin).toBe('agreement');
    expect(d.rowFilter).toBeNull();
  });

  it('not for another firm; not without the purpose; not after it expires (until exclusive)', () => {
    expect(decide('alumill', 'Lot', 'traceability').rowFilter).toBe('none');
    expect(decide('cuprum', 'Lot', undefined).skippedRules).toEqual([{ ruleId: 'agreement:ag-1', reason: 'needs a purpose (one of traceability); the request declares none' }]);
    expect(decide('cuprum', 'Lot', 'traceability', new Date('2026-12-01T00:00:00Z')).skippedRules).toEqual([
      { ruleId: 'agreement:ag-1', reason: 'expired at 2026-12-01T00:00:00.000Z' },
    ]);
    expect(decide('cuprum', 'Lot', 'traceability', new Date('2026-10-31T23:59:59Z')).rowFilter).toBe('none');
  });

  it('a revoked agreement is simply not passed in', () => {
    const revoked = effectivePolicy(own, terms, []);
    const c = caller('cuprum');
    c.purpose = 'traceability';
    expect(decideAccess(revoked, model, { caller: c, relationships: ['member'], type: 'Lot', now: NOW }).rowFilter).toBe('none');
  });

  it('prohibitions win over agreements: fields ["*"] does not bring unit costs', () => {
    const d = decide('cuprum', 'Part', 'traceability');
    expect(d.visibleFields.has('name')).toBe(true);
    expect(d.visibleFields.has('unitCost')).toBe(false);
  });

  it('an agreement listing fields grants those (and the keys)', () => {
    const d = decide('alumill', 'Shipment', 'traceability');
    expect([...d.visibleFields].sort()).toEqual(['eta', 'firmId', 'shipmentId', 'status']);
  });
});
