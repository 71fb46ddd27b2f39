/**
 * Records the HTTP requests the gateway sends to subgraphs, and replays them directly.
 *
 * The gateway's OwnerRouter keeps the `fetch` it was constructed with, so patching
 * `globalThis.fetch` after the cluster started would not see its requests: call
 * {@link installFetchHook} before `startCluster`. The hook delegates to Node's fetch and
 * only records while {@link recordRequests} runs (cost otherwise: one extra function call).
 */
type Fetch = typeof fetch;

/** One subgraph request as the gateway sent it, with when it started and ended. */
export interface RecordedRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  /** ms since the recording began: request issued / response body fully read. */
  start: number;
  end: number;
  status: number;
  /** The response body the gateway received. */
  response: string;
  /** Indexes of the requests that had ended before this one started (its replay prerequisites). */
  after: number[];
}

const nodeFetch: Fetch = globalThis.fetch;
let recorder: ((input: Parameters<Fetch>[0], init: RequestInit | undefined) => Promise<Response>) | undefined;
let installed = false;

/** Routes every later `fetch` through a hook that can record; idempotent. */
export function installFetchHook(): void {
  if (installed) return;
  installed = true;
  const hooked: Fetch = (input, init) => (recorder ? recorder(input, init) : nodeFetch(input, init));
  globalThis.fetch = hooked;
}

function urlOf(input: Parameters<Fetch>[0]): string {
  if (typeof input === 'string') return input;
  if (input instanceof URL) return input.href;
  return input.url;
}

function headersOf(init: RequestInit | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  new Headers(init?.headers).forEach((value, key) => {
    out[key] = value;
  });
  return out;
}

/**
 * Runs `action` (e.g. one gateway query) and returns, in issue order, every request whose
 * URL starts with one of `prefixes`, with its timing and replay prerequisites.
 */
export async function recordRequests(prefixes: readonly string[], action: () => Promise<void>): Promise<RecordedRequest[]> {
  if (!installed) throw new Error('recordRequests: call installFetchHook() before starting the cluster');
  const t0 = performance.now();
  const recorded: RecordedRequest[] = [];
  recorder = async (input, init) => {
    const url = urlOf(input);
    if (!prefixes.some((p) => url.startsWith(p))) return nodeFetch(input, init);
    if (typeof init?.body !== 'string') throw new Error(`recordRequests: request to ${url} has a body that is not a string`);
    const start = performance.now() - t0;
    const after = recorded.flatMap((r, i) => (r.end <= start ? [i] : []));
    const entry: RecordedRequest = { url, headers: headersOf(init), body: init.body, start, end: Number.POSITIVE_INFINITY, status: 0, response: '', after };
    recorded.push(entry);
    const response = await nodeFetch(input, init);
    const text = await response.text();
    entry.end = performance.now() - t0;
    entry.status = response.status;
    entry.response = text;
    return new Response(text, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
  try {
    await action();
  } finally {
    recorder = undefined;
  }
  return recorded;
}

/**
 * The requests grouped into steps: a step is a maximal run of requests (in issue order)
 * that were all in flight together, i.e. none waited for another of the same step.
 */
export function stepsOf(requests: readonly RecordedRequest[]): number[][] {
  const steps: number[][] = [];
  let current: number[] = [];
  requests.forEach((r, i) => {
    if (current.some((j) => r.after.includes(j))) {
      steps.push(current);
      current = [];
    }
    current.push(i);
  });
  if (current.length) steps.push(current);
  return steps;
}

/**
 * Sends the recorded requests again, straight to the subgraphs with Node's fetch, in the
 * same shape: each request starts as soon as the requests that had ended before it did
 * in the recording have ended again (so parallel stays parallel, sequential stays
 * sequential). Reads each body fully; throws on a status other than the recorded one,
 * and with `verify`, on a body other than the recorded one.
 */
export async function replay(requests: readonly RecordedRequest[], verify = false): Promise<void> {
  const done: Promise<void>[] = [];
  for (const r of requests) {
    const prerequisites = r.after.map((i) => done[i]);
    done.push(
      (async () => {
        if (prerequisites.length) await Promise.all(prerequisites);
        const res = await nodeFetch(r.url, { method: 'POST', headers: r.headers, body: r.body });
        const text = await res.text();
        if (res.status !== r.status) throw new Error(`replay: ${r.url} answered ${res.status}, recorded ${r.status}`);
        if (verify && text !== r.response) throw new Error(`replay: ${r.url} answered another body than recorded`);
      })(),
    );
  }
  await Promise.all(done);
}
