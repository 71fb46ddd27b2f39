import type { GraphQLFormattedError } from 'graphql';

/** The firm-served logical subgraphs: every member serves both, for its own rows. */
export type FirmSubgraph = 'firm' | 'links';

/** A GraphQL request as sent to a subgraph. */
export interface SubgraphRequest {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
}

/** A GraphQL response as received from (or returned for) a subgraph. */
export interface SubgraphResponse {
  data?: Record<string, unknown> | null;
  errors?: GraphQLFormattedError[];
  extensions?: Record<string, unknown>;
}

/**
 * Why a firm gave no GraphQL answer at all: down, slower than its timeout, not a member,
 * skipped because its circuit is open (not asked), or the whole request's deadline passed.
 */
export type FirmFailureCode = 'FIRM_UNAVAILABLE' | 'FIRM_TIMEOUT' | 'UNKNOWN_FIRM' | 'FIRM_CIRCUIT_OPEN' | 'REQUEST_TIMEOUT';

/** What one owner's request came to: a GraphQL response, or a failure to get one. */
export type OwnerResult =
  | { kind: 'response'; response: SubgraphResponse }
  | { kind: 'failure'; code: FirmFailureCode; message: string };

/** Codes of the errors the routing core itself produces. */
export const ROUTING_ERROR_CODES = {
  /**
   * A request the router cannot send to one owner per piece: a root field without `firmId`
   * argument, root fields naming different owners, `_entities` mixed with other root fields.
   */
  NOT_ROUTABLE: 'NOT_ROUTABLE',
  /** A representation without `firmId` (or `id` for `Firm` / `FirmRef`), or a `firmId` argument without value. */
  OWNER_MISSING: 'OWNER_MISSING',
  /** Default code of a firm's error that carries none. */
  DOWNSTREAM_SERVICE_ERROR: 'DOWNSTREAM_SERVICE_ERROR',
  GRAPHQL_PARSE_FAILED: 'GRAPHQL_PARSE_FAILED',
} as const;

/** The request to send to one owner. */
export interface OwnerRequest {
  owner: string;
  request: SubgraphRequest;
  /** Distinct representations sent to this owner, over all `_entities` fields (0 for root fields routed by `firmId`). */
  representations: number;
}

/** How to split one subgraph request by owner and how to put the answers back. */
export interface FetchPlan {
  /** One request per owner, in order of first appearance. */
  requests: OwnerRequest[];
  /**
   * Merges the owners' results into the response the original request expects: entities
   * at all their original indexes (null where missing), error paths re-indexed, every
   * firm error tagged with `extensions.firmId`, failed owners turned into null + errors.
   * An owner absent from `results` counts as `FIRM_UNAVAILABLE`. Never throws.
   */
  reassemble(results: ReadonlyMap<string, OwnerResult>): SubgraphResponse;
}

export type FetchPlanResult = { kind: 'plan'; plan: FetchPlan } | { kind: 'refused'; response: SubgraphResponse };
