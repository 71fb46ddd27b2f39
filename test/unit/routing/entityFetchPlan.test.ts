import { describe, expect, it } from 'vitest';
import { entityFetchPlan } from '../../../routing/entityFetchPlan.js';
import type { EntityFetchPlan } from '../../../routing/entityFetchPlan.js';
import { ownerOf } from '../../../routing/ownerOf.js';
import type { OwnerResult } from '../../../routing/types.js';

const ONE_FIELD = 'query($representations:[_Any!]!){_entities(representations:$representations){...on Lot{name}}}';
const TWO_FIELDS =
  'query($r0:[_Any!]!,$r1:[_Any!]!){_0:_entities(representations:$r0){...on Lot{name}} _1:_entities(representations:$r1){...on Part{name}}}';

const lot = (firmId: string, lotId: string) => ({ __typename: 'Lot', firmId, lotId });
const part = (firmId: string, partId: string) => ({ __typename: 'Part', firmId, partId });

function planOf(query: string, variables: Record<string, unknown>): EntityFetchPlan {
  const result = entityFetchPlan({ query, variables });
  if (result.kind !== 'plan') throw new Error(`refused: ${JSON.stringify(result.response)}`);
  return result.plan;
}

const ok = (data: Record<string, unknown>): OwnerResult => ({ kind: 'response', response: { data } });

/** A fake firm: answers each representation it received with `name: firmId + id`. */
function answer(plan: EntityFetchPlan, owner: string): OwnerResult {
  const request = plan.requests.find((r) => r.owner === owner);
  if (!request) throw new Error(`no request for ${owner}`);
  const data: Record<string, unknown> = {};
  const fieldsOf = request.request.query.includes('_0:') ? [['_0', 'r0'], ['_1', 'r1']] : [['_entities', 'representations']];
  for (const [alias, variable] of fieldsOf as Array<[string, string]>) {
    const reps = request.request.variables?.[variable] as Array<Record<string, string>>;
    data[alias] = reps.map((r) => ({ name: `${r['firmId']}${r['lotId'] ?? r['partId']}` }));
  }
  return ok(data);
}

describe('ownerOf', () => {
  it('reads firmId, or id for Firm and FirmRef', () => {
    expect(ownerOf(lot('a', '1'))).toBe('a');
    expect(ownerOf({ __typename: 'Firm', id: 'lead' })).toBe('lead');
    expect(ownerOf({ __typename: 'FirmRef', id: 'lead', firmId: 'other' })).toBe('lead');
    expect(ownerOf({ __typename: 'Lot', lotId: '1' })).toBeUndefined();
    expect(ownerOf({ __typename: 'Lot', firmId: '' })).toBeUndefined();
    expect(ownerOf(null)).toBeUndefined();
    expect(ownerOf('a')).toBeUndefined();
  });
});

describe('entityFetchPlan', () => {
  it('groups by owner, sends each distinct representation once, restores order at every index', () => {
    const reps = [lot('a', '1'), lot('b', '2'), lot('a', '1'), lot('a', '3'), { lotId: '1', firmId: 'a', __typename: 'Lot' }];
    const plan = planOf(ONE_FIELD, { representations: reps, other: 42 });
    expect(plan.requests.map((r) => r.owner)).toEqual(['a', 'b']);
    const a = plan.requests[0];
    expect(a?.request.variables).toEqual({ representations: [lot('a', '1'), lot('a', '3')], other: 42 });
    expect(a?.representations).toBe(2);
    expect(plan.requests[1]?.request.variables?.['representations']).toEqual([lot('b', '2')]);

    const response = plan.reassemble(new Map([['a', answer(plan, 'a')], ['b', answer(plan, 'b')]]));
    expect(response.errors).toBeUndefined();
    expect(response.data?.['_entities']).toEqual([{ name: 'a1' }, { name: 'b2' }, { name: 'a1' }, { name: 'a3' }, { name: 'a1' }]);
  });

  it('handles several aliased _entities fields, with an empty list where an owner has none', () => {
    const plan = planOf(TWO_FIELDS, { r0: [lot('a', '1'), lot('b', '2')], r1: [part('b', 'p'), part('c', 'q')] });
    expect(plan.requests.map((r) => r.owner)).toEqual(['a', 'b', 'c']);
    expect(plan.requests[0]?.request.variables).toEqual({ r0: [lot('a', '1')], r1: [] });
    expect(plan.requests[2]?.request.variables).toEqual({ r0: [], r1: [part('c', 'q')] });
    const response = plan.reassemble(new Map(['a', 'b', 'c'].map((o) => [o, answer(plan, o)] as const)));
    expect(response.data).toEqual({ _0: [{ name: 'a1' }, { name: 'b2' }], _1: [{ name: 'bp' }, { name: 'cq' }] });
  });

  it('re-indexes error paths, duplicating for every original index of a deduplicated representation', () => {
    const plan = planOf(ONE_FIELD, { representations: [lot('b', '9'), lot('a', '1'), lot('a', '2'), lot('a', '1')] });
    const response = plan.reassemble(
      new Map<string, OwnerResult>([
        [
          'a',
          {
            kind: 'response',
            response: {
              data: { _entities: [{ name: 'a1' }, null] },
              errors: [
                { message: 'denied', path: ['_entities', 0, 'name'], extensions: { code: 'FORBIDDEN' } },
                { message: 'not yours', path: ['_entities', 1] },
                { message: 'no path' },
              ],
            },
          },
        ],
        ['b', answer(plan, 'b')],
      ]),
    );
    expect(response.data?.['_entities']).toEqual([{ name: 'b9' }, { name: 'a1' }, null, { name: 'a1' }]);
    expect(response.errors).toEqual([
      { message: 'denied', path: ['_entities', 1, 'name'], extensions: { code: 'FORBIDDEN', firmId: 'a' } },
      { message: 'denied', path: ['_entities', 3, 'name'], extensions: { code: 'FORBIDDEN', firmId: 'a' } },
      { message: 'not yours', path: ['_entities', 2], extensions: { code: 'DOWNSTREAM_SERVICE_ERROR', firmId: 'a' } },
      { message: 'no path', extensions: { code: 'DOWNSTREAM_SERVICE_ERROR', firmId: 'a' } },
    ]);
  });

  it('turns a failed owner into nulls and one error per original index, keeping the others', () => {
    const plan = planOf(TWO_FIELDS, { r0: [lot('slow', '1'), lot('a', '1'), lot('slow', '1')], r1: [part('slow', 'p')] });
    const message = 'firm slow did not answer within 5000 ms';
    const response = plan.reassemble(
      new Map<string, OwnerResult>([
        ['slow', { kind: 'failure', code: 'FIRM_TIMEOUT', message }],
        ['a', answer(plan, 'a')],
      ]),
    );
    expect(response.data).toEqual({ _0: [null, { name: 'a1' }, null], _1: [null] });
    expect(response.errors).toEqual([
      { message, path: ['_0', 0], extensions: { code: 'FIRM_TIMEOUT', firmId: 'slow' } },
      { message, path: ['_0', 2], extensions: { code: 'FIRM_TIMEOUT', firmId: 'slow' } },
      { message, path: ['_1', 0], extensions: { code: 'FIRM_TIMEOUT', firmId: 'slow' } },
    ]);
  });

  it('counts an owner without a result as unavailable', () => {
    const plan = planOf(ONE_FIELD, { representations: [lot('a', '1')] });
    const response = plan.reassemble(new Map());
    expect(response.data).toEqual({ _entities: [null] });
    expect(response.errors?.[0]?.extensions).toEqual({ code: 'FIRM_UNAVAILABLE', firmId: 'a' });
  });

  it('answers OWNER_MISSING at the index of a representation without owner', () => {
    const plan = planOf(ONE_FIELD, { representations: [lot('a', '1'), { __typename: 'Lot', lotId: '2' }] });
    expect(plan.requests.map((r) => r.request.variables?.['representations'])).toEqual([[lot('a', '1')]]);
    const response = plan.reassemble(new Map([['a', answer(plan, 'a')]]));
    expect(response.data?.['_entities']).toEqual([{ name: 'a1' }, null]);
    expect(response.errors).toEqual([expect.objectContaining({ path: ['_entities', 1], extensions: { code: 'OWNER_MISSING' } })]);
  });

  it('refuses root fields other than _entities as NOT_ROUTABLE, and answers __typename itself', () => {
    for (const query of ['{ lots { lotId } }', 'query($r:[_Any!]!){ _entities(representations:$r){__typename} _service{sdl} }', 'mutation { x }']) {
      const result = entityFetchPlan({ query, variables: { r: [] } });
      expect(result.kind).toBe('refused');
      if (result.kind === 'refused') expect(result.response.errors?.[0]?.extensions?.['code']).toBe('NOT_ROUTABLE');
    }
    const parseFailure = entityFetchPlan({ query: '{ _entities(' });
    expect(parseFailure.kind === 'refused' && parseFailure.response.errors?.[0]?.extensions?.['code']).toBe('GRAPHQL_PARSE_FAILED');
    const typename = planOf('query __ApolloServiceHealthCheck__ { __typename }', {});
    expect(typename.requests).toEqual([]);
    expect(typename.reassemble(new Map())).toEqual({ data: { __typename: 'Query' } });
  });

  it('lifts inline list literals into per-owner variables', () => {
    const query = '{ _entities(representations: [{__typename: "Lot", firmId: "a", lotId: "1"}, {__typename: "Lot", firmId: "b", lotId: "2"}]) { ...on Lot { name } } }';
    const plan = planOf(query, {});
    expect(plan.requests.map((r) => r.owner)).toEqual(['a', 'b']);
    const sent = plan.requests[1]?.request;
    expect(sent?.query).toContain('$__routedRepresentations0: [_Any!]!');
    expect(sent?.query).toContain('_entities(representations: $__routedRepresentations0)');
    expect(sent?.variables).toEqual({ __routedRepresentations0: [lot('b', '2')] });
    const response = plan.reassemble(
      new Map<string, OwnerResult>([
        ['a', { kind: 'response', response: { data: { _entities: [{ name: 'a1' }] } } }],
        ['b', { kind: 'response', response: { data: { _entities: [{ name: 'b2' }] } } }],
      ]),
    );
    expect(response.data?.['_entities']).toEqual([{ name: 'a1' }, { name: 'b2' }]);
  });

  it('refuses a representations variable that is not a list', () => {
    const result = entityFetchPlan({ query: ONE_FIELD, variables: {} });
    expect(result.kind === 'refused' && result.response.errors?.[0]?.extensions?.['code']).toBe('NOT_ROUTABLE');
  });
});
