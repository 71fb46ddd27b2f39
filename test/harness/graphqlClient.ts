/** A GraphQL response as the client sees it. */
export interface GraphQLResult {
  status: number;
  // Test code reads arbitrary response shapes; keep the body loosely typed here only.
  data?: Record<string, unknown> | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
  headers: Headers;
}

/**
 * POSTs a GraphQL request over real HTTP.
 * @example const r = await postGraphQL(cluster.gatewayUrl, '{ firms { id } }', { token });
 */
export async function postGraphQL(
  url: string,
  query: string,
  options: { token?: string; variables?: Record<string, unknown>; headers?: Record<string, string> } = {},
): Promise<GraphQLResult> {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    body: JSON.stringify({ query, variables: options.variables }),
  });
  const text = await res.text();
  let body: Partial<GraphQLResult> = {};
  try {
    body = JSON.parse(text) as Partial<GraphQLResult>;
  } catch {
    body = { errors: [{ message: `non-JSON response: ${text.slice(0, 200)}` }] };
  }
  return { status: res.status, data: body.data, errors: body.errors, headers: res.headers };
}

/** Reads a counter from a server's `GET /metrics`. */
export async function readMetric(baseUrl: string, name: string): Promise<number> {
  const text = await (await fetch(new URL('/metrics', baseUrl))).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`));
  return line ? Number(line.split(' ').pop()) : 0;
}

/** Walks a path through nested objects and arrays (`'firm.lots.0.lotId'`). */
export function at(value: unknown, path: string): unknown {
  let v: unknown = value;
  for (const key of path.split('.')) {
    if (v === null || v === undefined) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}
