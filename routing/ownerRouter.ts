import { CircuitBreaker, assertCircuitBreakerOptions, type CallOutcome, type CircuitBreakerOptions, type CircuitPermit, type CircuitSnapshot } from './circuitBreaker.js';
import { entityFetchPlan } from './entityFetchPlan.js';
import { readGraphQLResponse } from './readGraphQLResponse.js';
import type { FirmFailureCode, FirmSubgraph, OwnerRequest, OwnerResult, SubgraphRequest, SubgraphResponse } from './types.js';

/** How one owner's request ended. `HTTP_ERROR`: a non-2xx status with a GraphQL body. */
export type OwnerFetchOutcome = 'ok' | 'HTTP_ERROR' | FirmFailureCode;

/** Reported once per owner of each routed request. */
export interface OwnerFetchEvent {
  owner: string;
  subgraph: FirmSubgraph;
  /** Distinct representations sent to the owner. */
  representations: number;
  /** Wall time of the owner's request, in milliseconds (0 when none was sent). */
  ms: number;
  outcome: OwnerFetchOutcome;
  /** Whether a request went out (false: unknown firm, open circuit, deadline already passed). */
  sent: boolean;
}

/** Per-call options of {@link OwnerRouter.execute}. */
export interface ExecuteOptions {
  /**
   * The whole client request's deadline: when it aborts, every fetch still pending is
   * cancelled and its entities answered null + `REQUEST_TIMEOUT`; later fetches are not sent.
   */
  signal?: AbortSignal;
  /**
   * Extra headers for the request to one owner, given the exact body sent to it: the
   * gateway's credential, bound to that firm and that request. Default: none.
   */
  sign?(owner: string, body: string): Record<string, string>;
}

export interface OwnerRouterOptions {
  /** The URL of a firm's endpoint for a firm-served subgraph; undefined for an unknown firm. */
  endpointOf(firmId: string, subgraph: FirmSubgraph): string | undefined;
  /** Per-owner timeout, in milliseconds. Default 5000. */
  timeoutMs?: number;
  /** Fetch implementation. Default: Node's built-in fetch (keep-alive by its global dispatcher). */
  fetch?: typeof fetch;
  /** Called once per owner per request, after it ended; for metrics and tests. Must not throw. */
  onFetch?(event: OwnerFetchEvent): void;
  /**
   * One circuit breaker per firm (see {@link CircuitBreaker}): after 5 consecutive failures
   * (timeouts, no connection, HTTP 5xx) within 60 s, the firm is skipped, with
   * `FIRM_CIRCUIT_OPEN` errors and no request sent, for 30 s; then one probe request decides.
   * Default: on with those values; `false` turns it off.
   */
  circuitBreaker?: CircuitBreakerOptions | false;
}

/** Cumulative counters of the requests sent to firms, and each firm's circuit. */
export interface OwnerRouterStats {
  /** Requests sent (not counting those refused before sending). */
  requests: number;
  byOwner: Map<string, number>;
  /** Owner → how its fetches ended, including those never sent (UNKNOWN_FIRM, FIRM_CIRCUIT_OPEN, REQUEST_TIMEOUT). */
  outcomes: Map<string, Map<OwnerFetchOutcome, number>>;
  /** Each firm's circuit as of now (firms never asked are absent; empty when the breaker is off). */
  readonly circuits: ReadonlyMap<string, CircuitSnapshot>;
}

/** Headers the router sets itself, or that must not be forwarded. */
const RESERVED_HEADERS = new Set(['content-type', 'accept', 'content-length', 'host', 'connection', 'transfer-encoding', 'keep-alive']);

/**
 * Sends a firm-served subgraph's `_entities` requests to the firms that own the
 * representations: one POST per owner, in parallel, each with its own timeout; then puts
 * the answers back in order. A request whose root fields take `firmId` (the governance
 * mutations) goes whole to the firm they name. A firm that is unknown, down, slow or answers garbage costs
 * its entities (null + one error each naming the firm), never the whole response. A firm
 * that failed repeatedly is skipped without a request until its circuit breaker lets a
 * probe through (`FIRM_CIRCUIT_OPEN`); the caller's deadline (`execute`'s `signal`) cuts
 * every pending fetch short (`REQUEST_TIMEOUT`).
 * Independent of any gateway: usable behind @apollo/gateway or a stand-alone router.
 */
export class OwnerRouter {
  readonly stats: OwnerRouterStats;
  private readonly timeoutMs: number;
  private readonly fetchImpl: typeof fetch;
  private readonly breakers = new Map<string, CircuitBreaker>();

  constructor(private readonly options: OwnerRouterOptions) {
    const timeoutMs = options.timeoutMs ?? 5000;
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
      throw new Error(`OwnerRouter: timeoutMs must be a positive number of milliseconds, got ${String(options.timeoutMs)}`);
    }
    if (options.circuitBreaker) assertCircuitBreakerOptions(options.circuitBreaker);
    this.timeoutMs = timeoutMs;
    this.fetchImpl = options.fetch ?? fetch;
    const breakers = this.breakers;
    this.stats = {
      requests: 0,
      byOwner: new Map(),
      outcomes: new Map(),
      get circuits() {
        return new Map([...breakers].map(([owner, breaker]) => [owner, breaker.snapshot()]));
      },
    };
  }

  /**
   * Routes one subgraph request by owner and returns the reassembled response. Resolves
   * even when firms fail; a request with a root field that is neither `_entities` nor
   * routed by a `firmId` argument, or whose root fields name different firms, is answered
   * with a `NOT_ROUTABLE` error and sent nowhere.
   *
   * @example
   * const router = new OwnerRouter({ endpointOf: (id, sg) => directory.get(id)?.endpoints[sg] });
   * const response = await router.execute('links', {
   *   query: 'query($representations:[_Any!]!){_entities(representations:$representations){...on LotRef{lot{lotId}}}}',
   *   variables: { representations: [{ __typename: 'LotRef', firmId: 'precimach', lotId: 'P-7' }] },
   * }, { authorization: 'Bearer ...' });
   * await router.execute('firm', {
   *   query: 'mutation($a: ID!, $id: ID!){ revokeAgreement(firmId: $a, agreementId: $id){ state } }',
   *   variables: { a: 'structura', id: 'structura-AG0001' },
   * }, { authorization: 'Bearer ...' }); // sent to structura only
   * await router.execute('links', request, headers, { signal: AbortSignal.timeout(15_000) }); // the client's deadline
   */
  async execute(
    subgraph: FirmSubgraph,
    request: SubgraphRequest,
    headers: Record<string, string>,
    options: ExecuteOptions = {},
  ): Promise<SubgraphResponse> {
    const planned = entityFetchPlan(request);
    if (planned.kind === 'refused') return planned.response;
    const { plan } = planned;
    const forwarded = forwardable(headers);
    const settled = await Promise.all(
      plan.requests.map(async (ownerRequest): Promise<[string, OwnerResult]> => [
        ownerRequest.owner,
        await this.send(subgraph, ownerRequest, forwarded, options),
      ]),
    );
    return plan.reassemble(new Map(settled));
  }

  private async send(
    subgraph: FirmSubgraph,
    { owner, request, representations }: OwnerRequest,
    headers: Record<string, string>,
    { signal: deadline, sign }: ExecuteOptions,
  ): Promise<OwnerResult> {
    const started = performance.now();
    const report = (outcome: OwnerFetchOutcome, sent: boolean): void => {
      const ms = sent ? performance.now() - started : 0;
      const counts = this.stats.outcomes.get(owner) ?? new Map<OwnerFetchOutcome, number>();
      counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
      this.stats.outcomes.set(owner, counts);
      this.options.onFetch?.({ owner, subgraph, representations, ms, outcome, sent });
    };
    const endpoint = this.options.endpointOf(owner, subgraph);
    if (endpoint === undefined) {
      report('UNKNOWN_FIRM', false);
      return { kind: 'failure', code: 'UNKNOWN_FIRM', message: `firm ${owner} is not a member of the cluster` };
    }
    if (deadline?.aborted) {
      report('REQUEST_TIMEOUT', false);
      return { kind: 'failure', code: 'REQUEST_TIMEOUT', message: `firm ${owner} was not asked: the request's deadline had passed` };
    }
    const breaker = this.breakerOf(owner);
    const permit = breaker?.tryAcquire();
    if (permit && !permit.allowed) {
      report('FIRM_CIRCUIT_OPEN', false);
      return { kind: 'failure', code: 'FIRM_CIRCUIT_OPEN', message: circuitOpenMessage(owner, permit) };
    }
    this.stats.requests += 1;
    this.stats.byOwner.set(owner, (this.stats.byOwner.get(owner) ?? 0) + 1);
    const result = await this.post(owner, endpoint, request, headers, deadline, sign);
    if (breaker && permit) breaker.record(permit, breakerOutcome(result));
    report(result.kind === 'failure' ? result.code : result.status >= 200 && result.status < 300 ? 'ok' : 'HTTP_ERROR', true);
    return result.kind === 'failure' ? result : { kind: 'response', response: result.response };
  }

  private breakerOf(owner: string): CircuitBreaker | undefined {
    if (this.options.circuitBreaker === false) return undefined;
    let breaker = this.breakers.get(owner);
    if (!breaker) {
      breaker = new CircuitBreaker(this.options.circuitBreaker);
      this.breakers.set(owner, breaker);
    }
    return breaker;
  }

  private async post(
    owner: string,
    endpoint: string,
    request: SubgraphRequest,
    headers: Record<string, string>,
    deadline: AbortSignal | undefined,
    sign: ExecuteOptions['sign'],
  ): Promise<PostResult> {
    const unavailable = (why: string): Extract<OwnerResult, { kind: 'failure' }> => ({
      kind: 'failure',
      code: 'FIRM_UNAVAILABLE',
      message: `firm ${owner} is unavailable: ${why}`,
    });
    let status: number;
    let text: string;
    const requestBody = JSON.stringify(request);
    try {
      const response = await this.fetchImpl(endpoint, {
        method: 'POST',
        headers: { ...headers, ...sign?.(owner, requestBody), 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
        body: requestBody,
        signal: deadline ? AbortSignal.any([AbortSignal.timeout(this.timeoutMs), deadline]) : AbortSignal.timeout(this.timeoutMs),
      });
      status = response.status;
      text = await response.text();
    } catch (error: unknown) {
      if (deadline?.aborted) {
        return { kind: 'failure', code: 'REQUEST_TIMEOUT', message: `firm ${owner} did not answer before the request's deadline` };
      }
      if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
        return { kind: 'failure', code: 'FIRM_TIMEOUT', message: `firm ${owner} did not answer within ${this.timeoutMs} ms` };
      }
      const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined)?.code : undefined;
      return unavailable(typeof cause === 'string' ? `no connection (${cause})` : 'no connection');
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return unavailable(`HTTP ${status} with a body that is not JSON`);
    }
    const response = readGraphQLResponse(body);
    if (!response) return unavailable(`HTTP ${status} with a body that is not a GraphQL response`);
    if ((status < 200 || status >= 300) && !response.errors?.length) {
      return unavailable(`HTTP ${status}`);
    }
    return { kind: 'response', response, status };
  }
}

type PostResult = { kind: 'response'; response: SubgraphResponse; status: number } | Extract<OwnerResult, { kind: 'failure' }>;

/**
 * 503 answers that say the firm is up and answering at once, just not able to serve this
 * request yet: it cannot fetch the keys of this caller's identity provider right now (the
 * users of every other member are served), or it has not read the cluster's directory yet (a
 * firm that is joining: it answers as soon as the operator lists it). Skipping such a firm for
 * a cool-down would only delay it.
 */
const NOT_THE_FIRMS_FAILURE = new Set(['ISSUER_KEYS_UNAVAILABLE', 'DIRECTORY_UNAVAILABLE']);

/** What a call's result says of the firm's health: a 4xx answer is the caller's problem, the firm is up; so are the 503s above. */
function breakerOutcome(result: PostResult): CallOutcome {
  if (result.kind === 'response') return result.status >= 500 && !notTheFirmsFailure(result.response) ? 'failure' : 'success';
  return result.code === 'REQUEST_TIMEOUT' ? 'abandoned' : 'failure';
}

function notTheFirmsFailure(response: SubgraphResponse): boolean {
  const errors = response.errors ?? [];
  return errors.length > 0 && errors.every((e) => NOT_THE_FIRMS_FAILURE.has(String(e.extensions?.['code'])));
}

function circuitOpenMessage(owner: string, permit: Extract<CircuitPermit, { allowed: false }>): string {
  const at = new Date(permit.retryAt).toISOString();
  return permit.state === 'open'
    ? `firm ${owner} is skipped after ${permit.failures} consecutive failures (circuit open); it will be retried at ${at}`
    : `firm ${owner} is skipped (circuit half-open): a probe request is checking whether it has recovered, at the latest until ${at}`;
}

function forwardable(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!RESERVED_HEADERS.has(name.toLowerCase())) out[name] = value;
  }
  return out;
}
