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

/** Why a firm gave no GraphQL answer at all. */
export type FirmFailureCode = 'FIRM_UNAVAILABLE' | 'FIRM_TIMEOUT' | 'UNKNOWN_FIRM';

/** What one owner's request came to: a GraphQL response, or a failure to get one. */
export type OwnerResult =
  | { kind: 'response'; response: SubgraphResponse }
  | { kind: 'failure'; code: FirmFailureCode; message: string };

/** Codes of the errors the routing core itself produces. */
export const ROUTING_ERROR_CODES = {
  /** A root field other than `_entities` / `__typename`: firm-served subgraphs have none. */
  NOT_ROUTABLE: 'NOT_ROUTABLE',
  /** A representation without `firmId` (or `id` for `Firm` / `FirmRef`). */
  OWNER_MISSING: 'OWNER_MISSING',
  /** Default code of a firm's error that carries none. */
  DOWNSTREAM_SERVICE_ERROR: 'DOWNSTREAM_SERVICE_ERROR',
  GRAPHQL_PARSE_FAILED: 'GRAPHQL_PARSE_FAILED',
} as const;
