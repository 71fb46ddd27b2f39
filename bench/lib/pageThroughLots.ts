import type { CapturedStatement } from './explainStatements.js';

/** One page of a read through `lotsConnection`: its time, rows, statements at the firm, and what they were. */
export interface PageRun {
  ms: number;
  rows: number;
  statements: number;
  captured: CapturedStatement[];
}

export interface PageThroughOptions {
  /** The firm subgraph's endpoint, asked as the gateway asks it (`_entities` on the Firm). */
  url: string;
  firmId: string;
  /** The request's headers for a body (user token and gateway credential), made before the clock starts. */
  headersFor(body: string): Record<string, string>;
  /** `lotsConnection`'s filter arguments (`{ status: 'RELEASED' }`), none for the whole history. */
  filters?: Record<string, string>;
  first: number;
  /** The firm's `dataspace_sql_statements_total`, read before and after each page (outside its time). */
  statementsNow(): Promise<number>;
  /** Runs a page with the firm's statements captured (bench/lib/explainStatements.ts tapStatements). */
  capture(action: () => Promise<void>): Promise<CapturedStatement[]>;
  /** A guard against a read that never ends. */
  maxPages?: number;
}

/** The page request: the fetch a gateway sends the firm for `firm(id:) { lotsConnection(...) { ... } }`. */
export function lotsPageQuery(filters: Record<string, string> = {}): string {
  const declared = Object.keys(filters).map((name) => `,$${name}:${name === 'status' ? 'LotStatus' : 'ID'}`).join('');
  const passed = Object.keys(filters).map((name) => `,${name}:$${name}`).join('');
  return `query($representations:[_Any!]!,$first:Int,$after:String${declared}){_entities(representations:$representations){...on Firm{lotsConnection(first:$first,after:$after${passed}){nodes{firmId lotId partId status quantity producedAt}pageInfo{hasNextPage endCursor}}}}}`;
}

interface PageAnswer {
  data?: { _entities?: ({ lotsConnection?: { nodes: unknown[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } | null } | null)[] };
  errors?: { message?: string; extensions?: { code?: unknown } }[];
}

/**
 * Reads a firm's lots page by page, `first` at a time, following `pageInfo.endCursor` until
 * `hasNextPage` is false, as an analytics tool would: every page timed (HTTP round trip), its
 * statements at the firm counted and captured for EXPLAIN. Throws on an error or an answer
 * without data (a read that loses a page is no measurement).
 * @example const pages = await pageThroughLots({ url, firmId: 'avionix', headersFor, first: 1000, statementsNow, capture });
 */
export async function pageThroughLots(options: PageThroughOptions): Promise<PageRun[]> {
  const query = lotsPageQuery(options.filters);
  const pages: PageRun[] = [];
  let after: string | null = null;
  for (let i = 0; i < (options.maxPages ?? 100_000); i++) {
    const body = JSON.stringify({ query, variables: { representations: [{ __typename: 'Firm', id: options.firmId }], first: options.first, after, ...options.filters } });
    const headers = { 'content-type': 'application/json', ...options.headersFor(body) };
    const before = await options.statementsNow();
    let ms = 0;
    let answer: PageAnswer = {};
    const captured = await options.capture(async () => {
      const t0 = performance.now();
      const res = await fetch(options.url, { method: 'POST', headers, body });
      answer = (await res.json()) as PageAnswer;
      ms = performance.now() - t0;
    });
    const statements = (await options.statementsNow()) - before;
    const page = answer.data?._entities?.[0]?.lotsConnection;
    if (!page || answer.errors) throw new Error(`page ${i + 1} of lotsConnection failed: ${JSON.stringify(answer.errors ?? answer).slice(0, 300)}`);
    pages.push({ ms, rows: page.nodes.length, statements, captured });
    if (!page.pageInfo.hasNextPage) return pages;
    after = page.pageInfo.endCursor;
  }
  throw new Error(`lotsConnection: more than ${options.maxPages} pages`);
}
