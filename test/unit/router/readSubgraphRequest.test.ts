import { describe, expect, it } from 'vitest';
import { readSubgraphRequest } from '../../../router/readSubgraphRequest.js';

describe('readSubgraphRequest', () => {
  it('reads query, variables and operationName, and ignores extensions', () => {
    expect(readSubgraphRequest('{"query":"query Q { __typename }","variables":{"a":1},"operationName":"Q","extensions":{"x":1}}')).toEqual({
      ok: true,
      request: { query: 'query Q { __typename }', variables: { a: 1 }, operationName: 'Q' },
    });
    expect(readSubgraphRequest('{"query":"{ __typename }","variables":null,"operationName":null}')).toEqual({ ok: true, request: { query: '{ __typename }' } });
  });

  it.each([
    ['not JSON', '{"query":', 'not valid JSON'],
    ['a batch', '[{"query":"{ __typename }"}]', 'Batched'],
    ['a scalar', '42', 'JSON object'],
    ['null', 'null', 'JSON object'],
    ['no query', '{}', '"query"'],
    ['an empty query', '{"query":""}', '"query"'],
    ['a query that is no string', '{"query":1}', '"query"'],
    ['variables that are a list', '{"query":"{ a }","variables":[1]}', '"variables"'],
    ['variables that are a string', '{"query":"{ a }","variables":"x"}', '"variables"'],
    ['an operationName that is no string', '{"query":"{ a }","operationName":3}', '"operationName"'],
  ])('refuses %s with BAD_REQUEST', (_name, text, message) => {
    const read = readSubgraphRequest(text);
    expect(read.ok).toBe(false);
    if (!read.ok) {
      expect(read.refusal.code).toBe('BAD_REQUEST');
      expect(read.refusal.message).toContain(message);
    }
  });
});
