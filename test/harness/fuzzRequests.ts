import { createHmac, sign } from 'node:crypto';
import fc from 'fast-check';
import { GENEALOGY_QUERY } from './queries.js';

/**
 * fast-check arbitraries of hostile GraphQL-over-HTTP requests for the fuzz suite: broken
 * and abusive documents, variables, headers, bodies, methods and tokens.
 */

/** One HTTP request to send to a GraphQL endpoint. */
export interface FuzzRequest {
  method: string;
  /** Appended to the endpoint URL (`?query=...`). */
  search?: string;
  headers: Record<string, string>;
  body?: string;
  /** Which authorization to send: the suite's valid token, none, or this header value. */
  auth: { kind: 'valid' } | { kind: 'none' } | { kind: 'header'; value: string };
}

/** Valid documents of the gateway (the supergraph) and of a firm subgraph. */
export const GATEWAY_QUERIES = [
  '{ __typename }',
  '{ firms { id name role tier } }',
  '{ firm(id: "structura") { id lots(first: 2) { lotId status part { name } } } }',
  'query One($id: ID!) { firm(id: $id) { id name } }',
  'mutation { requestAccess(firmId: "structura", input: { types: ["Lot"], purpose: "quality", days: 1 }) { id } }',
  GENEALOGY_QUERY,
];
export const FIRM_QUERIES = [
  '{ __typename }',
  '{ _service { sdl } }',
  'query($r: [_Any!]!) { _entities(representations: $r) { ... on Lot { lotId status quantity } ... on Firm { id name } } }',
];
const ALL_QUERIES = [...GATEWAY_QUERIES, ...FIRM_QUERIES];

/** A string without anything the leak check looks for, so that an echo is not a false alarm. */
const text = (maxLength: number): fc.Arbitrary<string> =>
  fc.oneof(fc.string({ maxLength }), fc.string({ unit: 'binary', maxLength }), fc.string({ unit: 'grapheme', maxLength })).filter((s) => !LEAK.test(s));

/** What must never appear in a response: stack frames and internal paths. */
export const LEAK = /\/work\/|node_modules|\n\s+at |\bat [^\s]+ \(|file:\/\//;

const name = fc.stringMatching(/^[_A-Za-z][_0-9A-Za-z]{0,20}$/);

/** GraphQL value literals: right, wrong and absurd types. */
const literal: fc.Arbitrary<string> = fc.oneof(
  fc.integer().map(String),
  fc.constantFrom('2147483648', '-2147483649', '99999999999999999999999', '1e308', '-0', '0x10', '1.5', 'NaN', 'true', 'null', 'ENUM', '$undeclared'),
  fc.double().map((d) => (Number.isFinite(d) ? String(d) : '0.1')),
  text(40).map((s) => JSON.stringify(s)),
  fc.constantFrom('[]', '[1, "a", null]', '{}', '{ a: 1 }', '"""block"""', '"\\u{1F600}"', '"\\uD800"', '"unterminated'),
);

const nested = (depth: number, open: string, leaf: string): string => `{ ${open.repeat(depth)}${leaf}${' }'.repeat(depth)} }`;

/** Hostile and broken documents. */
export const hostileQuery: fc.Arbitrary<string> = fc.oneof(
  text(200),
  fc.constantFrom(...ALL_QUERIES).chain((q) => fc.nat(q.length).map((n) => q.slice(0, n))),
  fc.constantFrom(...ALL_QUERIES).chain((q) => fc.tuple(fc.nat(q.length), text(3)).map(([i, s]) => q.slice(0, i) + s + q.slice(i + 1))),
  fc.integer({ min: 1, max: 5_000 }).map((d) => nested(d, 'a { ', 'b')),
  fc.integer({ min: 1, max: 400 }).map((d) => `{ firms { lots { ${'components { component { lot { '.repeat(d)}lotId${' } } }'.repeat(d)} } } }`),
  fc.integer({ min: 1, max: 5 }).map((d) => `{ firms { lots { ${'components { component { lot { '.repeat(d)}lotId${' } } }'.repeat(d)} } } }`),
  fc.integer({ min: 1, max: 8_000 }).map((n) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: __typename`).join(' ')} }`),
  fc.integer({ min: 1, max: 60 }).map((n) => `{ ${Array.from({ length: n }, (_, i) => `f${i}: firms { id }`).join(' ')} }`),
  fc.integer({ min: 1, max: 2_000 }).map((n) => `{ ${'__typename @skip(if: false) '.repeat(n)} }`),
  name.map((f) => `{ ${f} }`),
  name.map((f) => `{ firms { ${f} } }`),
  fc.tuple(name, literal).map(([arg, v]) => `{ firm(${arg}: ${v}) { id } }`),
  literal.map((v) => `{ firm(id: ${v}) { id } }`),
  literal.map((v) => `{ firm(id: "skyframe") { lots(first: ${v}) { lotId } } }`),
  literal.map((v) => `{ __typename @include(if: ${v}) }`),
  literal.map((v) => `{ _entities(representations: [${v}]) { __typename } }`),
  fc.constantFrom(
    '{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }',
    '{ ...A } fragment A on Query { ...A }',
    '{ ...Missing }',
    'fragment A on Query { __typename }',
    '{ __typename @foo }',
    '{ __typename @skip(if: true) @skip(if: false) }',
    '{ firms { id ... @defer { name } } }',
    '{ firms @stream { id } }',
    'subscription { firms { id } }',
    'mutation { __typename }',
    'query A { __typename } query A { __typename }',
    'query A { __typename } query B { __typename }',
    'query ($a: Int, $a: Int) { __typename }',
    '{ __schema { types { name } } }',
    '{ __type(name: "Lot") { fields { name } } }',
    '{ firm(id: "skyframe") { explainAccess(type: "Nope") { rows } } }',
    '{ firm(id: "nope") { id } }',
    '{ firm(id: "") { lots { lotId } } }',
    'query { firm(id: "structura") { lot(lotId: "x") { lotId } } }',
    '\u0000{ __typename }',
    '{ __typename } \ufeff',
    '"""\\u{110000}""" { __typename }',
  ),
);

/** Variables of every shape, sometimes huge or deeply nested. */
export const hostileVariables: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.record({ id: fc.jsonValue({ maxDepth: 3 }), first: fc.jsonValue({ maxDepth: 2 }) }, { requiredKeys: [] }),
  fc.record({ r: fc.array(fc.oneof(representation(), fc.jsonValue({ maxDepth: 3 })), { maxLength: 20 }) }),
  fc.integer({ min: 1, max: 1_000 }).map((d) => ({ r: JSON.parse(`${'['.repeat(d)}${']'.repeat(d)}`) as unknown })),
  fc.integer({ min: 1, max: 50_000 }).map((n) => ({ r: Array.from({ length: n }, (_, i) => ({ __typename: 'Lot', firmId: 'structura', lotId: `structura-L${i}` })) })),
  fc.constantFrom('string', 1, true, [], null),
);

/** An `_entities` representation, right or wrong. */
export function representation(): fc.Arbitrary<Record<string, unknown>> {
  return fc.record(
    {
      __typename: fc.oneof(fc.constantFrom('Lot', 'Firm', 'Part', 'Order', 'LotRef', 'Query', '__Schema', ''), name, fc.jsonValue({ maxDepth: 1 })),
      firmId: fc.oneof(fc.constantFrom('structura', 'skyframe', '', 'structura\u0000'), text(20), fc.jsonValue({ maxDepth: 2 })),
      id: fc.oneof(fc.constantFrom('structura'), fc.jsonValue({ maxDepth: 1 })),
      lotId: fc.oneof(fc.constantFrom('structura-L0001', "' OR 1=1 --"), text(30), fc.jsonValue({ maxDepth: 2 })),
    },
    { requiredKeys: [] },
  );
}

const CONTENT_TYPES = [
  'application/json', 'application/json; charset=utf-8', 'application/json; charset=utf-16', 'application/json; charset=latin1',
  'APPLICATION/JSON', 'application/graphql', 'application/graphql-response+json', 'text/plain', 'text/plain; charset=utf-8',
  'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded', 'application/jsonx', 'json', '', ';', 'application/json;;;',
];
const ACCEPTS = [
  'application/json', 'application/graphql-response+json', '*/*', 'text/html', 'text/event-stream', 'multipart/mixed',
  'multipart/mixed; deferSpec=20220824', 'application/graphql-response+json;q=0, application/json;q=0', 'application/xml', '', ',,,', '*/*;q=abc',
];

/** Printable ASCII and Latin-1 text: what a header value may hold. */
const headerText = (maxLength: number): fc.Arbitrary<string> =>
  fc.string({ unit: fc.integer({ min: 0x20, max: 0xff }).filter((c) => c !== 0x7f).map((c) => String.fromCharCode(c)), maxLength }).map((s) => s.trim());

/** `arb` one time in `oneIn`, else absent. */
const sometimes = <T>(arb: fc.Arbitrary<T>, oneIn: number): fc.Arbitrary<T | undefined> =>
  fc.oneof({ weight: oneIn - 1, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });

/** Headers: content-type and accept variants, garbage and giant values (each hostile header now and then). */
export const hostileHeaders: fc.Arbitrary<Record<string, string>> = fc
  .record({
    'content-type': fc.oneof({ weight: 3, arbitrary: fc.constant('application/json') }, fc.constantFrom(...CONTENT_TYPES), headerText(60)),
    accept: sometimes(fc.oneof(fc.constantFrom(...ACCEPTS), headerText(60)), 3),
    'x-junk': sometimes(fc.integer({ min: 1, max: 40_000 }).map((n) => 'x'.repeat(n)), 12),
    'apollo-require-preflight': sometimes(fc.constant('true'), 4),
    'x-dataspace-gateway': sometimes(headerText(200), 10),
    'content-encoding': sometimes(fc.constantFrom('gzip', 'br', 'identity', 'x-garbage'), 20),
    'x-forwarded-for': sometimes(headerText(40), 10),
  })
  .map((h) => Object.fromEntries(Object.entries(h).filter((e): e is [string, string] => e[1] !== undefined)));

/** How the request is authorized: mostly the valid token, else garbage. */
export const hostileAuth: fc.Arbitrary<FuzzRequest['auth']> = fc.oneof(
  { weight: 12, arbitrary: fc.constant({ kind: 'valid' as const }) },
  fc.constant({ kind: 'none' as const }),
  fc.oneof(headerText(300), fc.constantFrom('Bearer', 'Bearer ', 'Basic dXNlcjpwdw==', 'Bearer a.b.c', 'Bearer ....', 'bearer x y')).map((value) => ({ kind: 'header' as const, value })),
);

/** Bodies: GraphQL requests with wrong shapes, batches, scalars, non-JSON, empty, too large. */
export const hostileBody: fc.Arbitrary<string> = fc.oneof(
  { weight: 12, arbitrary: fc.record({ query: hostileQuery, variables: hostileVariables }, { requiredKeys: ['query'] }).map((b) => JSON.stringify(b)) },
  { weight: 3, arbitrary: fc.record({ query: fc.constantFrom(...ALL_QUERIES), variables: hostileVariables }, { requiredKeys: ['query'] }).map((b) => JSON.stringify(b)) },
  fc
    .record(
      { query: fc.oneof(fc.constantFrom(...ALL_QUERIES), fc.jsonValue({ maxDepth: 2 })), variables: fc.jsonValue({ maxDepth: 2 }), operationName: fc.jsonValue({ maxDepth: 1 }), extensions: fc.jsonValue({ maxDepth: 3 }) },
      { requiredKeys: [] },
    )
    .map((b) => JSON.stringify(b)),
  fc.array(fc.record({ query: fc.constantFrom(...ALL_QUERIES) }), { maxLength: 5 }).map((a) => JSON.stringify(a)),
  fc.jsonValue({ maxDepth: 0 }).map((v) => JSON.stringify(v)),
  text(300),
  fc.constantFrom('', ' ', '{', '{"query":', '{"query":"{ __typename }"', 'null', '[]', '{}', '{"query":null}', '{"query":1}', '{"query":"{ __typename }","variables":"{\\"a\\":1}"}'),
  fc.constantFrom('{"query":"{ __typename }"}', '{"query":"{ __typename }","extensions":{"persistedQuery":{"version":1,"sha256Hash":"abc"}}}'),
  // Over the gateway's 1 MiB and the subgraphs' 4 MiB body limits.
  fc.constantFrom(1.2, 2.5, 4.5).map((mb) => JSON.stringify({ query: `{ __typename }${' '.repeat(Math.round(mb * 2 ** 20))}` })),
  // Nesting deeper than JSON.stringify's stack: built as text.
  fc
    .tuple(fc.constantFrom(...ALL_QUERIES), fc.integer({ min: 1_000, max: 200_000 }), fc.constantFrom(['[', ']'], ['{"a":', '}']))
    .map(([query, d, [open, close]]) => `{"query":${JSON.stringify(query)},"variables":{"r":${open.repeat(d)}1${close.repeat(d)},"id":"x"}}`),
);

const METHODS = [...Array<string>(10).fill('POST'), 'GET', 'GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'];

/** A whole hostile request: method, headers, authorization, body or query string. */
export const hostileRequest: fc.Arbitrary<FuzzRequest> = fc
  .record({ method: fc.constantFrom(...METHODS), headers: hostileHeaders, auth: hostileAuth, body: hostileBody, query: hostileQuery, variables: hostileVariables })
  .map(({ method, headers, auth, body, query, variables }) => {
    if (method === 'GET' || method === 'HEAD') {
      const params = new URLSearchParams({ query, variables: JSON.stringify(variables) ?? '' });
      return { method, headers, auth, search: `?${params.toString()}` };
    }
    return { method, headers, auth, body };
  });

function b64url(value: unknown): string {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
}

/** Keys a token arbitrary may sign with. */
export interface TokenKeys {
  /** A valid token (to tamper with). */
  valid: string;
  /** The firm's real private key, and its public key (for HS256 confusion). */
  privateKeyPem: string;
  publicKeyPem: string;
  /** A key nobody trusts. */
  strangerKeyPem: string;
  issuer: string;
  audience: string;
}

/** Signs a JWS (ES256, JOSE signature format) over arbitrary header and payload. */
function es256(header: unknown, payload: unknown, keyPem: string): string {
  const input = `${b64url(header)}.${b64url(payload)}`;
  return `${input}.${sign('sha256', Buffer.from(input), { key: keyPem, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
}

/**
 * Malformed and forged tokens. `forged: true` ones must be refused; the others are signed
 * with the real key over arbitrary claims and may or may not be acceptable.
 */
export function hostileToken(k: TokenKeys): fc.Arbitrary<{ token: string; forged: boolean }> {
  const now = Math.floor(Date.now() / 1000);
  const good = { iss: k.issuer, aud: k.audience, sub: 'fuzz', firm: 'skyframe', roles: ['planner'], iat: now, exp: now + 600 };
  const claims = fc.record(
    {
      iss: fc.oneof(fc.constant(k.issuer), fc.jsonValue({ maxDepth: 1 })),
      aud: fc.oneof(fc.constant(k.audience), fc.constant([k.audience]), fc.jsonValue({ maxDepth: 1 })),
      sub: fc.oneof(fc.constant('fuzz'), fc.jsonValue({ maxDepth: 1 })),
      firm: fc.oneof(fc.constant('skyframe'), fc.constant('structura'), fc.jsonValue({ maxDepth: 1 })),
      roles: fc.oneof(fc.constant(['planner']), fc.jsonValue({ maxDepth: 2 })),
      purpose: fc.jsonValue({ maxDepth: 1 }),
      exp: fc.oneof(fc.constant(now + 600), fc.constant(now - 600), fc.jsonValue({ maxDepth: 1 })),
      nbf: fc.oneof(fc.constant(now + 6000), fc.jsonValue({ maxDepth: 1 })),
    },
    { requiredKeys: [] },
  );
  const forged = (a: fc.Arbitrary<string>): fc.Arbitrary<{ token: string; forged: boolean }> => a.map((token) => ({ token, forged: true }));
  const [h, p, s] = k.valid.split('.') as [string, string, string];
  return fc.oneof(
    forged(fc.array(fc.uint8Array({ maxLength: 80 }), { minLength: 1, maxLength: 5 }).map((parts) => parts.map((b) => Buffer.from(b).toString('base64url')).join('.'))),
    forged(fc.tuple(fc.jsonValue({ maxDepth: 2 }), fc.jsonValue({ maxDepth: 2 }), fc.string({ maxLength: 40 })).map(([a, b, c]) => `${b64url(a)}.${b64url(b)}.${b64url(c)}`)),
    forged(fc.constantFrom('none', 'None', 'NONE', 'HS256', 'RS256', 'ES384', 'ES512', 'PS256').map((alg) => `${b64url({ alg, typ: 'JWT' })}.${b64url(good)}.${alg === 'none' ? '' : s}`)),
    forged(fc.constant(`${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url(good)}`).map((input) => `${input}.${createHmac('sha256', k.publicKeyPem).update(input).digest('base64url')}`)),
    // Not the last character: its low bits are padding, so some changes decode to the same signature.
    forged(fc.tuple(fc.nat(s.length - 2), fc.constantFrom('A', 'B', '_', '-')).map(([i, c]) => `${h}.${p}.${s.slice(0, i)}${s[i] === c ? 'C' : c}${s.slice(i + 1)}`)),
    forged(fc.nat(k.valid.length - 1).map((n) => k.valid.slice(0, n))),
    forged(fc.constantFrom(`${h}.${p}.`, `${h}.${p}`, `${h}..${s}`, `.${p}.${s}`, `${h}.${b64url({ ...good, firm: 'avionix' })}.${s}`, `${k.valid}.${s}`)),
    forged(fc.constant(es256({ alg: 'ES256', typ: 'JWT' }, good, k.strangerKeyPem))),
    forged(fc.constant(es256({ alg: 'ES256', typ: 'JWT' }, { ...good, iat: now - 7200, exp: now - 3600 }, k.privateKeyPem))),
    forged(fc.constant(`${b64url({ alg: 'ES256', kid: '../../etc/passwd', jku: 'http://127.0.0.1:1/' })}.${p}.${s}`)),
    forged(fc.integer({ min: 1, max: 6_000 }).map((n) => `${b64url({ alg: 'ES256', pad: 'x'.repeat(n) })}.${p}.${s}`)),
    fc.tuple(fc.jsonValue({ maxDepth: 1 }), claims).map(([extra, c]) => ({ token: es256({ alg: 'ES256', typ: 'JWT', x: extra }, c, k.privateKeyPem), forged: false })),
  );
}
