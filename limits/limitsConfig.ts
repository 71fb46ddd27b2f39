import { z } from 'zod';

/**
 * The `limits` configuration key of the gateway and of every subgraph (firm, registry):
 * operation limits, cost, body size and a rate limit per caller firm. Every key is optional;
 * the defaults below apply. Validated at start like the rest of the file: a bad value stops
 * the program with `CONFIG_INVALID` naming the file and the key (`limits.maxDepth`).
 *
 * ```yaml
 * limits:
 *   maxDepth: 20            # OPERATION_TOO_DEEP
 *   maxAliases: 30          # TOO_MANY_ALIASES
 *   maxRootFields: 20       # TOO_MANY_ROOT_FIELDS
 *   maxTokens: 5000         # TOO_MANY_TOKENS
 *   maxBodyBytes: 1048576   # REQUEST_TOO_LARGE (413)
 *   maxCost: 1000000        # OPERATION_TOO_COSTLY
 *   costMode: enforce       # or measure: report extensions.cost, reject nothing
 *   assumedListSize: 10     # list size where no `first`/`last`/`limit` argument says
 *   rateLimit: { requestsPerSecond: 50, burst: 100 }   # RATE_LIMITED (429); false: off
 * ```
 */

/** A token bucket per caller firm: `burst` requests at once, refilled at `requestsPerSecond`. */
export interface RateLimit {
  requestsPerSecond: number;
  burst: number;
}

/** The limits in force on one server (all values resolved). */
export interface Limits {
  /** Deepest field nesting, root fields at depth 1 (Apollo Router's convention). */
  maxDepth: number;
  /** Aliased fields in the operation, fragments expanded. */
  maxAliases: number;
  /** Fields at the root of the operation (`_entities` included at a subgraph). */
  maxRootFields: number;
  /** Lexical tokens of the document (graphql-js `parse({ maxTokens })`: parsing stops there). */
  maxTokens: number;
  /** Request body size; larger bodies get 413 without being read. */
  maxBodyBytes: number;
  /** Largest estimated cost (see estimateCost.ts). */
  maxCost: number;
  /** `enforce` rejects over `maxCost`; `measure` only reports the estimate in `extensions.cost`. */
  costMode: 'enforce' | 'measure';
  /** Size assumed for a list field without a slicing argument. */
  assumedListSize: number;
  /** Requests per caller firm, or `false` to switch rate limiting off (a proxy does it). */
  rateLimit: RateLimit | false;
}

const GATEWAY_RATE: RateLimit = { requestsPerSecond: 50, burst: 100 };

/**
 * The gateway's defaults, and why:
 * - depth 20: the cluster's main query is a lot genealogy, 3 levels per tier
 *   (`components { component { lot`); 20 walks four tiers below the lead (depth 16) with
 *   room to spare. GraphQL Armor's 6 would refuse the demo's 3-tier walk (depth 13); Apollo
 *   Router's 100 protects nothing.
 * - aliases 30, root fields 20: Apollo Router's documented defaults (Armor: 15 aliases).
 * - tokens 5000: 5× GraphQL Armor's 1000; the demo genealogy has 98. Parsing stops at
 *   the limit, so a huge document costs no more than 5000 tokens of work.
 * - body 1 MiB: the HTTP layer's existing default (Apollo Router: 2 MB).
 * - cost 1,000,000 with lists assumed 10 long (Apollo demand control's model: 1 per object,
 *   lists multiply): GitHub refuses above 500,000 nodes, but here three unsliced nested
 *   lists (`components` per tier) already weigh 1000× each top lot. The demo genealogy is
 *   14,443 for one lot and 433,261 for thirty; `firms { lots(first: 100) { ...3 tiers } }` is
 *   refused.
 * - 50 requests per second per caller firm, bursts of 100: a firm is many users and tools,
 *   but one member cannot take the gateway from the 13–29 others.
 */
export const GATEWAY_LIMITS: Limits = {
  maxDepth: 20,
  maxAliases: 30,
  maxRootFields: 20,
  maxTokens: 5000,
  maxBodyBytes: 1024 * 1024,
  maxCost: 1_000_000,
  costMode: 'enforce',
  assumedListSize: 10,
  rateLimit: GATEWAY_RATE,
};

/**
 * A subgraph's defaults (firms, registry): never below the gateway's, so that the fetches a
 * gateway plans for an operation it accepted are accepted too. Depth counts from inside
 * `_entities` and each fetch is one step of the plan, so equal depth, alias and root-field
 * limits suffice; tokens and cost are doubled (the planner adds key fields and `__typename`,
 * and a fetch's cost uses the real number of representations where the gateway assumed 10).
 * Bodies may be 4 MiB: a fetch carries one plan step's representations (about 60 bytes
 * each; the benchmarks' 17,000 lots are 1 MB). The rate limit is the gateway's × 6: one gateway request reaches a firm once per plan
 * step it owns entities in (a 3-tier genealogy: up to 6).
 */
export const SUBGRAPH_LIMITS: Limits = {
  ...GATEWAY_LIMITS,
  maxTokens: 2 * GATEWAY_LIMITS.maxTokens,
  maxBodyBytes: 4 * GATEWAY_LIMITS.maxBodyBytes,
  maxCost: 2 * GATEWAY_LIMITS.maxCost,
  rateLimit: { requestsPerSecond: 300, burst: 600 },
};

const count = (max: number) => z.number().int().min(1).max(max);

/**
 * The zod schema of the `limits` key, with `defaults` filled in for absent keys.
 * @example const schema = z.strictObject({ limits: limitsSchema(GATEWAY_LIMITS) });
 */
export function limitsSchema(defaults: Limits) {
  const rate = defaults.rateLimit === false ? GATEWAY_RATE : defaults.rateLimit;
  return z
    .strictObject({
      maxDepth: count(1000).default(defaults.maxDepth),
      maxAliases: count(10_000).default(defaults.maxAliases),
      maxRootFields: count(10_000).default(defaults.maxRootFields),
      maxTokens: count(1_000_000).default(defaults.maxTokens),
      maxBodyBytes: count(1024 * 1024 * 1024).default(defaults.maxBodyBytes),
      maxCost: count(Number.MAX_SAFE_INTEGER).default(defaults.maxCost),
      costMode: z.enum(['enforce', 'measure']).default(defaults.costMode),
      assumedListSize: z.number().int().min(0).max(100_000).default(defaults.assumedListSize),
      rateLimit: z
        .union([
          z.literal(false),
          z.strictObject({
            requestsPerSecond: z.number().positive().max(1_000_000).default(rate.requestsPerSecond),
            burst: count(10_000_000).default(rate.burst),
          }),
        ])
        .default(defaults.rateLimit),
    })
    .default(defaults);
}

/** Limits as code passes them (tests, the in-process cluster): any subset, rate limit too. */
export type LimitsOverrides = Partial<Omit<Limits, 'rateLimit'>> & { rateLimit?: Partial<RateLimit> | false };

/**
 * The limits in force: `overrides` over `defaults`, validated (throws a ZodError on a bad value).
 * @example const limits = resolveLimits({ maxDepth: 8, rateLimit: false }, GATEWAY_LIMITS);
 */
export function resolveLimits(overrides: LimitsOverrides | Limits | undefined, defaults: Limits): Limits {
  return limitsSchema(defaults).parse(overrides ?? {});
}
