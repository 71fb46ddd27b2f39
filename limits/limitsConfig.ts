import { getNullableType, isInterfaceType, isListType, isObjectType, type GraphQLSchema } from 'graphql';
import { z } from 'zod';
import { ConfigError, type ConfigProblem } from '../config/configError.js';

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
 *   listSizes:              # per field (`Type.field`), over DEFAULT_LIST_SIZES; a slicing argument still wins
 *     Lot.components: 4
 *   rateLimit: { requestsPerSecond: 50, burst: 100 }   # RATE_LIMITED (429); false: off
 * ```
 *
 * `listSizes` is Apollo Router's `@listSize(assumedSize:)` as configuration. Its keys are
 * checked twice: their syntax here (`limits.listSizes.Lot.components`), then, at start,
 * against the server's schema ({@link checkListSizes}): a type or field that does not exist,
 * or a field that is not a list, stops the program with `CONFIG_INVALID` too.
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
  /** Size assumed for a list field without a slicing argument (and without a `listSizes` entry). */
  assumedListSize: number;
  /**
   * Assumed sizes of particular list fields, keyed `Type.field` (Apollo Router's
   * `@listSize(assumedSize:)`): {@link DEFAULT_LIST_SIZES} with the configured entries over them.
   */
  listSizes: Readonly<Record<string, number>>;
  /** Requests per caller firm, or `false` to switch rate limiting off (a proxy does it). */
  rateLimit: RateLimit | false;
}

const GATEWAY_RATE: RateLimit = { requestsPerSecond: 50, burst: 100 };

/**
 * The child lists whose real length the data model bounds well below the global 10; every
 * other unsliced list keeps `assumedListSize`. Measured on the generated clusters (seed/:
 * the demo's 7 firms, 30 and 100 firms in 5 tiers):
 * - `Lot.components` 4 (and `Part.bom` 4, the same BOM lines as planned): one line per supplier
 *   of the lot's firm. Below the lead a lot has at most 4 (mean 1.1–1.5); the lead's lots have
 *   one per tier-1 supplier (2, 8, 25). Sizes multiply down a genealogy, so 4 per tier bounds
 *   the real walk: 4 + 16 + 64 + 256 = 340 lots four tiers below a lead lot, where the
 *   30-firm cluster has at most 46 and the 100-firm one 162 (10 per tier: 11,110).
 * - `Lot.inspections` 5: the generator makes 1–3 (a first inspection, a re-inspection after
 *   rework, a second characteristic).
 * - `Shipment.lots` 5: 1–3 lots packed per shipment.
 * - `Part.inventory` 5: one position per site, 1–2 sites per firm.
 */
export const DEFAULT_LIST_SIZES: Readonly<Record<string, number>> = Object.freeze({
  'Lot.components': 4,
  'Part.bom': 4,
  'Lot.inspections': 5,
  'Shipment.lots': 5,
  'Part.inventory': 5,
});

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
 * - cost 1,000,000 (Apollo demand control's model: 1 per object, lists multiply) with
 *   unsliced lists assumed 10 long, except the child lists of {@link DEFAULT_LIST_SIZES}
 *   (`Lot.components` 4: a genealogy's `components` per tier multiply, 10 would weigh 1000×
 *   each top lot three tiers down, 4 weighs 64×). The demo genealogy (3 tiers) is 659 for one
 *   lot and 65,801 for its default page of 100; a lead's 4-tier walk is 2,643 for one lot and
 *   fits up to `first: 378`. GitHub refuses above 500,000 nodes.
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
  listSizes: DEFAULT_LIST_SIZES,
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
 * step it owns entities in (a 3-tier genealogy: up to 6). The list sizes are the gateway's:
 * an `_entities` fetch selects the same `Lot.components` the gateway sized, inside each
 * representation, so its cost is that of the subtree the gateway estimated.
 */
export const SUBGRAPH_LIMITS: Limits = {
  ...GATEWAY_LIMITS,
  maxTokens: 2 * GATEWAY_LIMITS.maxTokens,
  maxBodyBytes: 4 * GATEWAY_LIMITS.maxBodyBytes,
  maxCost: 2 * GATEWAY_LIMITS.maxCost,
  rateLimit: { requestsPerSecond: 300, burst: 600 },
};

const count = (max: number) => z.number().int().min(1).max(max);

/** A `listSizes` key: a GraphQL type name, a dot, a field name. */
const LIST_SIZE_KEY = /^[_A-Za-z][_0-9A-Za-z]*\.[_A-Za-z][_0-9A-Za-z]*$/;
const MAX_LIST_SIZE = 100_000;

/**
 * `listSizes`: `Type.field` → int 0..100000, merged over `defaults`. A bad key or size names
 * the key as a dotted path, `limits.listSizes.Lot.components` (not `listSizes["Lot.components"]`).
 */
function listSizesSchema(defaults: Readonly<Record<string, number>>) {
  return z
    .record(z.string(), z.unknown())
    .superRefine((sizes, ctx) => {
      for (const [key, size] of Object.entries(sizes)) {
        const path = key.split('.');
        if (!LIST_SIZE_KEY.test(key)) {
          ctx.addIssue({ code: 'custom', path, message: 'expected a key Type.field, e.g. Lot.components' });
        } else if (typeof size !== 'number' || !Number.isInteger(size) || size < 0 || size > MAX_LIST_SIZE) {
          ctx.addIssue({ code: 'custom', path, message: `expected an integer from 0 to ${MAX_LIST_SIZE}` });
        }
      }
    })
    .transform((sizes): Readonly<Record<string, number>> => ({ ...defaults, ...(sizes as Record<string, number>) }))
    .default(defaults);
}

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
      assumedListSize: z.number().int().min(0).max(MAX_LIST_SIZE).default(defaults.assumedListSize),
      listSizes: listSizesSchema(defaults.listSizes),
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

/**
 * What is wrong with `listSizes` keys against the schemas a server runs: each key must name
 * an object or interface type of one of them and a list field of that type. One problem per
 * bad key, keyed `limits.listSizes.Type.field`.
 * @example listSizeProblems({ 'Lot.component': 4 }, [schema]); // [{ key: 'limits.listSizes.Lot.component', message: 'Lot has no field component' }]
 */
export function listSizeProblems(listSizes: Readonly<Record<string, number>>, schemas: readonly GraphQLSchema[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const key of Object.keys(listSizes)) {
    const [typeName = '', fieldName = ''] = key.split('.');
    const types = schemas.map((s) => s.getType(typeName)).filter((t) => isObjectType(t) || isInterfaceType(t));
    const fields = types.flatMap((t) => (isObjectType(t) || isInterfaceType(t) ? [t.getFields()[fieldName]] : [])).filter((f) => f !== undefined);
    let message: string | undefined;
    if (types.length === 0) message = `no object type ${typeName} in the schema`;
    else if (fields.length === 0) message = `${typeName} has no field ${fieldName}`;
    else if (!fields.some((f) => isListType(getNullableType(f.type)))) message = `${key} is not a list (${String(fields[0]?.type)})`;
    if (message) problems.push({ key: `limits.listSizes.${key}`, message });
  }
  return problems;
}

/**
 * Stops a server whose `listSizes` name a type or field its schemas do not have, or a field
 * that is not a list: a {@link ConfigError} (`CONFIG_INVALID`) naming `source` and every bad key.
 * @example checkListSizes(limits, [apiSchema], 'gateway.yaml');
 */
export function checkListSizes(limits: Pick<Limits, 'listSizes'>, schemas: readonly GraphQLSchema[], source: string): void {
  const problems = listSizeProblems(limits.listSizes, schemas);
  if (problems.length > 0) throw new ConfigError(source, problems);
}
