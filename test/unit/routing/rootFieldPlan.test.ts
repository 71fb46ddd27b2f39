import { describe, expect, it } from 'vitest';
import { entityFetchPlan } from '../../../routing/entityFetchPlan.js';
import type { EntityFetchPlan } from '../../../routing/entityFetchPlan.js';
import type { OwnerResult, SubgraphRequest, SubgraphResponse } from '../../../routing/types.js';

const REQUEST_ACCESS =
  'mutation($a: ID!, $i: AccessRequestInput!) { requestAccess(firmId: $a, input: $i) { requestId state } }';

function planOf(request: SubgraphRequest): EntityFetchPlan {
  const result = entityFetchPlan(request);
  if (result.kind !== 'plan') throw new Error(`refused: ${JSON.stringify(result.response)}`);
  return result.plan;
}

function refusalOf(request: SubgraphRequest): { code: unknown; message: string } {
  const result = entityFetchPlan(request);
  if (result.kind !== 'refused') throw new Error(`planned: ${JSON.stringify(result.plan.requests)}`);
  const error = result.response.errors?.[0];
  return { code: error?.extensions?.['code'], message: error?.message ?? '' };
}

const ok = (data: Record<string, unknown>, errors?: SubgraphResponse['errors']): OwnerResult => ({
  kind: 'response',
  response: errors ? { data, errors } : { data },
});

describe('entityFetchPlan: root fields routed by firmId', () => {
  it('sends a mutation whose firmId is a variable, whole and unchanged, to that owner only', () => {
    const request = { query: REQUEST_ACCESS, variables: { a: 'structura', i: { types: ['Shipment'] } }, operationName: undefined };
    const plan = planOf(request);
    expect(plan.requests).toEqual([{ owner: 'structura', request, representations: 0 }]);
    const response = plan.reassemble(new Map([['structura', ok({ requestAccess: { requestId: 'structura-AR0001', state: 'PENDING' } })]]));
    expect(response).toEqual({ data: { requestAccess: { requestId: 'structura-AR0001', state: 'PENDING' } } });
  });

  it('reads a literal firmId (string or int), and routes queries the same way', () => {
    expect(planOf({ query: 'mutation { revokeAgreement(firmId: "precimach", agreementId: "x") { state } }' }).requests.map((r) => r.owner)).toEqual([
      'precimach',
    ]);
    expect(planOf({ query: '{ catalogOf(firmId: 42) { ruleId } }' }).requests.map((r) => r.owner)).toEqual(['42']);
  });

  it('routes several aliased root fields naming the same owner in one request, keeping the operation name', () => {
    const query = `mutation Decide($a: ID!) {
      first: decideAccessRequest(firmId: $a, requestId: "r1", decision: GRANT) { state }
      second: decideAccessRequest(firmId: "structura", requestId: "r2", decision: REJECT) { state }
      kind: __typename
    }`;
    const request = { query, variables: { a: 'structura' }, operationName: 'Decide' };
    const plan = planOf(request);
    expect(plan.requests).toEqual([{ owner: 'structura', request, representations: 0 }]);
    const response = plan.reassemble(new Map([['structura', ok({ first: { state: 'GRANTED' }, second: { state: 'REJECTED' }, kind: 'Mutation' })]]));
    expect(response.data).toEqual({ first: { state: 'GRANTED' }, second: { state: 'REJECTED' }, kind: 'Mutation' });
  });

  it('refuses root fields naming different owners, naming each field and its owner, and sends nothing', () => {
    const query = `mutation($a: ID!, $b: ID!) {
      x: revokeAgreement(firmId: $a, agreementId: "1") { state }
      y: revokeAgreement(firmId: $b, agreementId: "2") { state }
      z: revokeAgreement(firmId: "structura", agreementId: "3") { state }
    }`;
    const refused = refusalOf({ query, variables: { a: 'structura', b: 'avionix' } });
    expect(refused.code).toBe('NOT_ROUTABLE');
    expect(refused.message).toContain('x, z → structura');
    expect(refused.message).toContain('y → avionix');
    // The same alias twice with different owners is refused too.
    const twice = 'mutation { r: revokeAgreement(firmId: "a", agreementId: "1") { state } r: revokeAgreement(firmId: "b", agreementId: "1") { state } }';
    expect(refusalOf({ query: twice }).code).toBe('NOT_ROUTABLE');
  });

  it('refuses a root field without firmId argument, naming it', () => {
    const refused = refusalOf({ query: 'mutation($a: ID!) { requestAccess(firmId: $a, input: {}) { state } stray: ping }', variables: { a: 'x' } });
    expect(refused).toEqual({ code: 'NOT_ROUTABLE', message: expect.stringContaining('root field stray') });
    expect(refusalOf({ query: '{ firms { id } }' }).code).toBe('NOT_ROUTABLE');
    expect(refusalOf({ query: 'subscription { lots(firmId: "a") { lotId } }' }).code).toBe('NOT_ROUTABLE');
  });

  it('refuses _entities mixed with root fields routed by firmId, and _entities in a mutation', () => {
    const mixed = 'query($r: [_Any!]!) { _entities(representations: $r) { __typename } catalogOf(firmId: "a") { ruleId } }';
    expect(refusalOf({ query: mixed, variables: { r: [] } }).code).toBe('NOT_ROUTABLE');
    expect(refusalOf({ query: 'mutation($r: [_Any!]!) { _entities(representations: $r) { __typename } }', variables: { r: [] } }).code).toBe(
      'NOT_ROUTABLE',
    );
  });

  it('refuses a firmId without value as OWNER_MISSING', () => {
    expect(refusalOf({ query: REQUEST_ACCESS, variables: { i: {} } })).toEqual({ code: 'OWNER_MISSING', message: expect.stringContaining('$a') });
    expect(refusalOf({ query: REQUEST_ACCESS, variables: { a: '', i: {} } }).code).toBe('OWNER_MISSING');
    expect(refusalOf({ query: 'mutation { revokeAgreement(firmId: null, agreementId: "1") { state } }' }).code).toBe('NOT_ROUTABLE');
  });

  it("turns the owner's failure into null root fields and one error per field at [alias], naming the firm", () => {
    const query = 'mutation($a: ID!) { one: revokeAgreement(firmId: $a, agreementId: "1") { state } two: revokeAgreement(firmId: $a, agreementId: "2") { state } __typename }';
    const plan = planOf({ query, variables: { a: 'slow' } });
    for (const code of ['FIRM_TIMEOUT', 'FIRM_UNAVAILABLE', 'UNKNOWN_FIRM'] as const) {
      const message = `firm slow: ${code}`;
      const response = plan.reassemble(new Map<string, OwnerResult>([['slow', { kind: 'failure', code, message }]]));
      expect(response).toEqual({
        data: { one: null, two: null, __typename: 'Mutation' },
        errors: [
          { message, path: ['one'], extensions: { code, firmId: 'slow' } },
          { message, path: ['two'], extensions: { code, firmId: 'slow' } },
        ],
      });
    }
    // No result at all counts as unavailable.
    expect(plan.reassemble(new Map()).errors?.[0]?.extensions).toEqual({ code: 'FIRM_UNAVAILABLE', firmId: 'slow' });
  });

  it("keeps the owner's errors and paths, tagged with its firmId and a code", () => {
    const plan = planOf({ query: REQUEST_ACCESS, variables: { a: 'structura', i: {} } });
    const response = plan.reassemble(
      new Map([
        [
          'structura',
          ok({ requestAccess: null }, [
            { message: 'purpose must not be empty', path: ['requestAccess'], extensions: { code: 'BAD_USER_INPUT' } },
            { message: 'bare' },
          ]),
        ],
      ]),
    );
    expect(response).toEqual({
      data: { requestAccess: null },
      errors: [
        { message: 'purpose must not be empty', path: ['requestAccess'], extensions: { code: 'BAD_USER_INPUT', firmId: 'structura' } },
        { message: 'bare', extensions: { code: 'DOWNSTREAM_SERVICE_ERROR', firmId: 'structura' } },
      ],
    });
    // An answer without data still gives every root field a key.
    const empty = plan.reassemble(new Map<string, OwnerResult>([['structura', { kind: 'response', response: { errors: [{ message: 'x' }] } }]]));
    expect(empty.data).toEqual({ requestAccess: null });
  });

  it('answers a mutation of __typename only itself', () => {
    const plan = planOf({ query: 'mutation { __typename }' });
    expect(plan.requests).toEqual([]);
    expect(plan.reassemble(new Map())).toEqual({ data: { __typename: 'Mutation' } });
  });
});
