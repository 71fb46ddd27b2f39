/**
 * The cluster directory: what the registry publishes to every member and to the gateway.
 * Members, their subgraph endpoints, the declared trade relationships, and the trust list
 * (each member's token issuer and public keys, and the gateways' credentials), and each
 * member's service keys (what its subgraph process signs with: never a user token).
 */

export type FirmRole = 'lead' | 'partner';

/** A member as the cluster operator declares it (no network details). */
export interface MemberProfile {
  /** Stable id, lower-case letters, digits and dashes, e.g. `structura`. */
  id: string;
  name: string;
  role: FirmRole;
  /** 0 for the lead firm, 1 for its direct suppliers, and so on. */
  tier: number;
  /** A few words on what the firm makes, e.g. `structures`. */
  sector: string;
}

/** Where a member's subgraphs answer: one URL per firm-served logical subgraph. */
export interface MemberEndpoints {
  firm: string;
  links: string;
}

/** A member of the cluster as published by the registry. */
export interface MemberRecord extends MemberProfile {
  endpoints: MemberEndpoints;
  /** The `iss` claim of the tokens this member issues to its users. */
  issuer: string;
  /** PEM-encoded public keys (SPKI) that verify this member's user tokens (its identity provider's). */
  publicKeys: string[];
  /**
   * PEM-encoded public keys (SPKI) of the member's SERVICE key (one, or two during a
   * rotation): what its subgraph process signs with when it speaks for the firm to another
   * server (its directory reader token). Never a user-token key: a service key signs no user
   * token, and a user-token key reads nothing (identity/serviceKeys.ts).
   */
  serviceKeys: string[];
  /**
   * The longest lifetime (`exp - iat`, seconds) a user token of this member may have;
   * longer ones are refused (`TOKEN_LIFETIME_TOO_LONG`). Absent: DEFAULT_MAX_TOKEN_LIFETIME_SECONDS.
   */
  maxTokenLifetimeSeconds?: number;
  /**
   * The member's own identity provider (OpenID Connect), when its users' tokens come from one:
   * a second trusted issuer of this member whose keys every verifier fetches from its JWKS.
   * `publicKeys` may then be empty (the member signs no token itself).
   */
  identityProvider?: IdentityProviderRecord;
}

/** The signature algorithms an identity provider's tokens may use (the cluster's own tokens are ES256 only). */
export type IdentityProviderAlgorithm = 'RS256' | 'ES256';

/**
 * Where a claim sits in an identity provider's token: the names of the nested members, e.g.
 * `['realm_access', 'roles']` (Keycloak) or `['roles']` (Entra ID).
 */
export type ClaimPath = readonly string[];

/** Which claims of an identity provider's token carry the cluster's notions. */
export interface ClaimMapping {
  /** The user (default `['sub']`). */
  subject: ClaimPath;
  /** The user's roles: an array of strings, or one space-separated string (default `['roles']`). */
  roles: ClaimPath;
  /** The purpose (default `['purpose']`); absent in a token: no purpose. */
  purpose: ClaimPath;
  /**
   * A claim that must equal the member's id. The firm is always the member's whose entry names
   * the issuer; this only adds a check (an identity provider shared by firms is not supported).
   */
  firm?: ClaimPath;
}

/** A member's identity provider as the directory publishes it. */
export interface IdentityProviderRecord {
  /** Its tokens' `iss`, e.g. `https://login.structura.example/realms/aero`; unique in the directory. */
  issuer: string;
  /** Where its public keys are published (JSON Web Key Set). */
  jwksUri: string;
  /** The `aud` its tokens must carry; absent: the cluster's audience. */
  audience?: string;
  algorithms: IdentityProviderAlgorithm[];
  claims: ClaimMapping;
  /** How long a fetched key set is used before it is fetched again. */
  cacheSeconds: number;
  /** How long past that the last good key set is still used while the JWKS endpoint fails. */
  maxStaleSeconds: number;
  /** The least time between two fetches (a token naming an unknown `kid`, a failed fetch). */
  minRefreshSeconds: number;
}

/** A member's user tokens live at most 4 hours unless the operator's file says otherwise. */
export const DEFAULT_MAX_TOKEN_LIFETIME_SECONDS = 4 * 3600;

/** The most an operator may allow a member's user tokens to live: one day. */
export const MAX_TOKEN_LIFETIME_LIMIT_SECONDS = 86_400;

/** A gateway trusted to call the members' subgraphs on behalf of users. */
export interface GatewayRecord {
  id: string;
  issuer: string;
  publicKeys: string[];
}

/** A declared supply relationship: `supplier` sells to `customer`. */
export interface TradeRelationship {
  supplier: string;
  customer: string;
}

/**
 * The cluster terms as the registry publishes them: the operator's terms file, verbatim
 * (YAML or JSON), and its SHA-256, so that every member parses and validates the very same
 * document (see `policies/clusterTerms.ts`).
 */
export interface PublishedTerms {
  format: 'yaml' | 'json';
  source: string;
  version: string;
}

/** The directory the registry serves at `GET /directory`, as the payload of a JWS signed by the operator (cluster/directoryDocument.ts). */
export interface Directory {
  clusterId: string;
  /** The `aud` claim every token of this cluster must carry. */
  audience: string;
  members: MemberRecord[];
  gateways: GatewayRecord[];
  relationships: TradeRelationship[];
  /** The cluster terms (purposes, baseline rules, prohibitions); absent = none. */
  terms?: PublishedTerms;
}

/** A cluster's shape without network or key details: what a generator or a demo needs. */
export interface ClusterTopology {
  clusterId: string;
  members: MemberProfile[];
  relationships: TradeRelationship[];
}

/** The issuer a member uses by convention: `urn:dataspace:<clusterId>:firm:<firmId>`. */
export function memberIssuer(clusterId: string, firmId: string): string {
  return `urn:dataspace:${clusterId}:firm:${firmId}`;
}

/** The issuer of a gateway by convention: `urn:dataspace:<clusterId>:gateway:<id>`. */
export function gatewayIssuer(clusterId: string, gatewayId: string): string {
  return `urn:dataspace:${clusterId}:gateway:${gatewayId}`;
}

/** The audience of a cluster's tokens by convention: `urn:dataspace:<clusterId>`. */
export function clusterAudience(clusterId: string): string {
  return `urn:dataspace:${clusterId}`;
}
