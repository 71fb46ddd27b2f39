import { ApolloServer, HeaderMap, type BaseContext } from '@apollo/server';
import { buildSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GATEWAY_LIMITS, type Limits } from '../../../limits/limitsConfig.js';
import { serverLimits, type ServerLimitsOptions } from '../../../limits/serverLimits.js';
import { sha256Hex, TrustedDocuments } from '../../../limits/trustedDocuments.js';
import { withRateLimit } from '../../../limits/withRateLimit.js';
import { maskErrors } from '../../../http/maskErrors.js';

const schema = buildSchema(`
  enum Status { OPEN CLOSED }
  type Query { firm(id: ID!): Firm firms: [Firm] status(s: Status): Status }
  type Firm { id: ID! name: String lots(first: Int = 100): [Lot] }
  type Lot { lotId: ID! components: [Lot] }
`);
const rootValue = {
  firm: ({ id }: { id: string }) => ({ id, name: id, lots: [] }),
  firms: () => [{ id: 'a', name: 'a', lots: [] }],
  status: ({ s }: { s: string }) => s,
};

interface Reply {
  status: number;
  headers: HeaderMap;
  body: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[]; extensions?: Record<string, unknown> };
}

async function serve(limits: Partial<Limits> = {}, options: ServerLimitsOptions = {}, context: () => Promise<BaseContext> = async () => ({})) {
  const guard = serverLimits({ ...GATEWAY_LIMITS, ...limits }, options);
  const server = new ApolloServer({
    schema,
    rootValue,
    introspection: guard.introspection,
    validationRules: guard.validationRules,
    includeStacktraceInErrorResponses: false,
    formatError: maskErrors(() => {}),
    parseOptions: guard.parseOptions,
    allowBatchedHttpRequests: guard.allowBatchedHttpRequests,
    plugins: guard.plugins,
  });
  await server.start();
  const post = async (body: unknown): Promise<Reply> => {
    const r = await server.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: 'POST', headers: new HeaderMap([['content-type', 'application/json']]), search: '', body },
      context,
    });
    const text = r.body.kind === 'complete' ? r.body.string : '';
    return { status: r.status ?? 200, headers: r.headers, body: JSON.parse(text) as Reply['body'] };
  };
  return { server, post, query: (query: string, variables?: Record<string, unknown>) => post(variables ? { query, variables } : { query }) };
}

function expectRefused(r: Reply, code: string, limit: number | string, value?: number): void {
  expect(r.status).toBe(400);
  expect(r.body.data).toBeUndefined();
  expect(r.body.errors).toHaveLength(1);
  expect(r.body.errors?.[0]?.extensions).toEqual({ code, limit, ...(value !== undefined ? { value } : {}) });
  expect(r.body.errors?.[0]?.message).toMatch(new RegExp(`the limit \\(max\\w+\\) is ${limit}\\.$`));
}

/** Depth 3 + levels: firm, lots, `levels` × components, lotId. */
const nested = (levels: number) => `{ firm(id: "a") { lots(first: 1) { ${'components { '.repeat(levels)}lotId${' }'.repeat(levels)} } } }`;

describe('serverLimits: the operation limits of one Apollo Server', () => {
  let s: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    s = await serve({ maxDepth: 6, maxAliases: 3, maxRootFields: 3, maxTokens: 60, maxCost: 2000 });
  });
  afterAll(async () => s.server.stop());

  it('runs what is within every limit', async () => {
    const r = await s.query(nested(3));
    expect(r.status).toBe(200);
    expect(r.body.errors).toBeUndefined();
  });

  it('refuses depth with OPERATION_TOO_DEEP, the limit and the value', async () => {
    const r = await s.query(nested(5));
    expectRefused(r, 'OPERATION_TOO_DEEP', 6, 8);
    expect(r.body.errors?.[0]?.message).toBe('The operation is 8 levels deep; the limit (maxDepth) is 6.');
  });

  it('refuses aliases with TOO_MANY_ALIASES, counted through fragments', async () => {
    const r = await s.query('{ firm(id: "a") { ...F } b: firm(id: "b") { ...F } } fragment F on Firm { x: id y: name }');
    expectRefused(r, 'TOO_MANY_ALIASES', 3, 5);
  });

  it('refuses root fields with TOO_MANY_ROOT_FIELDS', async () => {
    const r = await s.query('{ a: firms { id } firms { id } c: status d: status }');
    expectRefused(r, 'TOO_MANY_ROOT_FIELDS', 3, 4);
  });

  it('stops parsing at the token limit: TOO_MANY_TOKENS with the count', async () => {
    const query = `{ firm(id: "a") { ${'id '.repeat(80)}} }`;
    const r = await s.query(query);
    expectRefused(r, 'TOO_MANY_TOKENS', 60, 90);
    expect(r.body.errors?.[0]?.message).toBe('The document has 90 tokens; the limit (maxTokens) is 60.');
  });

  it('refuses an estimated cost above maxCost with OPERATION_TOO_COSTLY, variables included', async () => {
    const q = 'query($n: Int) { firms { lots(first: $n) { lotId } } }';
    expect((await s.query(q, { n: 100 })).status).toBe(200); // firms (assumed 10) × (1 + 100) = 1010
    expectRefused(await s.query(q, { n: 250 }), 'OPERATION_TOO_COSTLY', 2000, 2510);
    // `first` defaults to 100, `Lot.components` is assumed 4 long (GATEWAY_LIMITS.listSizes): 10 × (1 + 100 × (1 + 4)) = 5010
    expectRefused(await s.query('{ firms { lots { components { lotId } } } }'), 'OPERATION_TOO_COSTLY', 2000, 5010);
  });

  it('refuses HTTP batching (a JSON array) with 400', async () => {
    const r = await s.post([{ query: '{ firms { id } }' }, { query: '{ firms { id } }' }]);
    expect(r.status).toBe(400);
    expect(r.body.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
  });

  it('refuses introspection and strips field and enum suggestions outside development mode', async () => {
    const intro = await s.query('{ __schema { types { name } } }');
    expect(intro.status).toBe(400);
    expect(intro.body.errors?.[0]?.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', validationErrorCode: 'INTROSPECTION_DISABLED' });
    expect(JSON.stringify(intro.body)).not.toContain('Firm');
    const shape = await s.query('{ __type(name: "Firm") { fields { name } } }');
    expect(shape.status).toBe(400);
    expect(shape.body.errors?.[0]?.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', validationErrorCode: 'INTROSPECTION_DISABLED' });
    expect(JSON.stringify(shape.body)).not.toContain('"name"');
    // Whether a type of a name exists (the GraphQL-over-HTTP audits' probe) is answered.
    const exists = await s.query('query T($n: String!) { __type(name: $n) { name kind } }', { n: 'Firm' });
    expect(exists.body).toEqual({ data: { __type: { name: 'Firm', kind: 'OBJECT' } } });
    const typo = await s.query('{ firm(id: "a") { nam } }');
    expect(typo.body.errors?.[0]?.message).toBe('Cannot query field "nam" on type "Firm".');
    const enumTypo = await s.query('query($s: Status) { status(s: $s) }', { s: 'OPN' });
    expect(enumTypo.body.errors?.[0]?.message).not.toMatch(/Did you mean|OPEN/);
    expect(JSON.stringify([typo.body, enumTypo.body])).not.toMatch(/stacktrace|Did you mean/);
  });
});

describe('serverLimits options', () => {
  it('keeps suggestions in development mode', async () => {
    const dev = await serve({}, { development: true });
    const typo = await dev.query('{ firm(id: "a") { nam } }');
    expect(typo.body.errors?.[0]?.message).toContain('Did you mean "name"?');
    const intro = await dev.query('{ __type(name: "Firm") { fields { name } } }');
    expect(intro.body.data).toBeDefined();
    expect(JSON.stringify(intro.body.data)).toContain('"name"');
    await dev.server.stop();
  });

  it('measure mode reports the cost in extensions.cost and refuses nothing', async () => {
    const m = await serve({ maxCost: 50, costMode: 'measure' });
    const cheap = await m.query('{ firms { id } }');
    expect(cheap.body.extensions?.['cost']).toEqual({ estimated: 10, max: 50, result: 'OK' });
    const costly = await m.query('{ firms { lots(first: 20) { lotId } } }');
    expect(costly.status).toBe(200);
    expect(costly.body.data).toBeDefined();
    expect(costly.body.extensions?.['cost']).toEqual({ estimated: 210, max: 50, result: 'OPERATION_TOO_COSTLY' });
    await m.server.stop();
  });

  it('sizes unsliced lists by the configured listSizes, else assumedListSize', async () => {
    const m = await serve({ costMode: 'measure', assumedListSize: 3, listSizes: { 'Query.firms': 7 } });
    const cost = async (q: string) => (await m.query(q)).body.extensions?.['cost'];
    expect(await cost('{ firms { id } }')).toMatchObject({ estimated: 7 });
    // firms 7 × (1 + lots 2 × (1 + components assumed 3 × 1))
    expect(await cost('{ firms { lots(first: 2) { components { lotId } } } }')).toMatchObject({ estimated: 7 * (1 + 2 * (1 + 3)) });
    await m.server.stop();
  });

  it('refuses a document too deep for the parser (a 20,000-deep list literal) with OPERATION_TOO_DEEP and its nesting, not a stack overflow', async () => {
    const deep = await serve({ maxTokens: 100_000 });
    for (const [open, close] of [['[', ']'], ['{ a: ', ' }']] as const) {
      const r = await deep.query(`{ firm(id: ${open.repeat(20_000)}"a"${close.repeat(20_000)}) { id } }`);
      expectRefused(r, 'OPERATION_TOO_DEEP', GATEWAY_LIMITS.maxDepth, 20_002);
      expect(r.body.errors?.[0]?.message).toBe(`The document is nested 20002 levels deep, too deep to parse; the limit (maxDepth) is ${GATEWAY_LIMITS.maxDepth}.`);
    }
    const selections = await deep.query(`{ ${'firm(id: "a") { '.repeat(5_000)}id${' }'.repeat(5_000)} }`);
    expect(selections.body.errors?.[0]?.extensions?.code).toBe('OPERATION_TOO_DEEP');
    await deep.server.stop();
  });

  it('counts every refusal by code', async () => {
    const codes: string[] = [];
    const c = await serve({ maxDepth: 2, maxTokens: 20 }, { onReject: (code) => codes.push(code) });
    await c.query('{ firm(id: "a") { lots { lotId } } }');
    await c.query(`{ ${'firms { id } '.repeat(5)}}`);
    await c.query('{ firms { id } }');
    expect(codes).toEqual(['OPERATION_TOO_DEEP', 'TOO_MANY_TOKENS']);
    await c.server.stop();
  });
});

describe('withRateLimit', () => {
  it('answers 429 with Retry-After and RATE_LIMITED once the caller firm’s burst is spent, per firm', async () => {
    let firm = 'skyframe';
    const rejected: string[] = [];
    const context = withRateLimit(async () => ({ firm }), { rateLimit: { requestsPerSecond: 0.5, burst: 2 }, keyOf: (c) => c.firm });
    const s = await serve({}, { onReject: (code) => rejected.push(code) }, () => context());
    expect((await s.query('{ firms { id } }')).status).toBe(200);
    expect((await s.query('{ firms { id } }')).status).toBe(200);
    const r = await s.query('{ firms { id } }');
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBe('2');
    expect(r.body.errors?.[0]?.extensions).toEqual({ code: 'RATE_LIMITED', limit: 0.5, retryAfterSeconds: 2 });
    expect(rejected).toEqual(['RATE_LIMITED']);
    firm = 'structura';
    expect((await s.query('{ firms { id } }')).status).toBe(200);
    await s.server.stop();
  });
});

describe('trusted documents', () => {
  const FIRMS = '{ firms { id } }';
  const docs = TrustedDocuments.fromManifest({ [sha256Hex(FIRMS)]: FIRMS });
  const pq = (hash: string) => ({ persistedQuery: { version: 1, sha256Hash: hash } });
  let t: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    t = await serve({}, { trustedDocuments: docs });
  });
  afterAll(async () => t.server.stop());

  it('runs a registered document by its hash alone, or by its exact text', async () => {
    const byHash = await t.post({ extensions: pq(sha256Hex(FIRMS)) });
    expect(byHash.status).toBe(200);
    expect(byHash.body.data).toEqual({ firms: [{ id: 'a' }] });
    expect((await t.query(FIRMS)).body.data).toEqual({ firms: [{ id: 'a' }] });
  });

  it('refuses an unknown hash with PERSISTED_QUERY_NOT_IN_LIST', async () => {
    const r = await t.post({ extensions: pq('0'.repeat(64)), operationName: 'X' });
    expect(r.status).toBe(400);
    expect(r.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_IN_LIST');
  });

  it('refuses any other document with QUERY_NOT_IN_SAFELIST, without parsing or validating it', async () => {
    for (const query of ['{ firms { id name } }', '{ firms { nam } }', '{ __schema { types { name } } }', '{ broken']) {
      const r = await t.query(query);
      expect(r.status, query).toBe(400);
      expect(r.body.errors?.map((e) => e.extensions?.code), query).toEqual(['QUERY_NOT_IN_SAFELIST']);
    }
  });

  it('lets no automatic persisted query register a new document', async () => {
    const other = '{ firms { name } }';
    const register = await t.post({ query: other, extensions: pq(sha256Hex(other)) });
    expect(register.body.errors?.[0]?.extensions?.code).toBe('QUERY_NOT_IN_SAFELIST');
    const replay = await t.post({ extensions: pq(sha256Hex(other)) });
    expect(replay.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_IN_LIST');
  });
});
