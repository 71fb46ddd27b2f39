/**
 * The trust list: which issuers this cluster trusts, and with which public keys.
 * Built from the registry's directory; keys are parsed once and kept as `KeyObject`s.
 * A member's entry holds its user-token keys (`publicKeys`) only: its service keys
 * (identity/serviceKeys.ts) are never here, so that no token signed with one is a user's.
 */
import type { KeyObject } from 'node:crypto';
import { DEFAULT_MAX_TOKEN_LIFETIME_SECONDS, type ClaimMapping, type Directory, type IdentityProviderAlgorithm, type IdentityProviderRecord } from '../cluster/directory.js';
import { es256PublicKey } from './es256PublicKey.js';
import type { JwksKeySet, JwksSettings } from './jwksKeySet.js';
import { sharedJwksKeySet } from './jwksKeySets.js';
import { keyId } from './keyId.js';

/** A member's identity provider as a verifier trusts it: its key set, algorithms, audience and claim mapping. */
export interface IdentityProviderTrust {
  keys: JwksKeySet;
  /** The `aud` its tokens carry; absent: the cluster's. */
  audience: string | undefined;
  algorithms: readonly IdentityProviderAlgorithm[];
  claims: ClaimMapping;
  /**
   * The RFC 7638 ids of every key the directory lists (user-token, service and gateway keys):
   * a provider's key set that publishes one of them is not believed for that key, so that no
   * provider lets another member, a firm process or a gateway sign its users' tokens.
   */
  directoryKeyIds: ReadonlySet<string>;
}

/** A member firm that issues its users' tokens. */
export interface FirmIssuer {
  kind: 'firm';
  issuer: string;
  firmId: string;
  publicKeys: readonly KeyObject[];
  /** The longest lifetime (`exp - iat`, seconds) accepted for this member's user tokens. */
  maxTokenLifetimeSeconds: number;
  /** Present when the issuer is the member's identity provider: its keys come from its JWKS, not `publicKeys`. */
  identityProvider?: IdentityProviderTrust;
}

/** A gateway that issues credentials proving a call came through it. */
export interface GatewayIssuer {
  kind: 'gateway';
  issuer: string;
  gatewayId: string;
  publicKeys: readonly KeyObject[];
}

export type TrustedIssuer = FirmIssuer | GatewayIssuer;

/** What a trust list is built from: issuer, who it is, PEM public keys (SPKI). */
export type TrustListEntry =
  | { kind: 'firm'; issuer: string; firmId: string; publicKeys: readonly string[]; maxTokenLifetimeSeconds?: number; identityProvider?: IdentityProviderRecord }
  | { kind: 'gateway'; issuer: string; gatewayId: string; publicKeys: readonly string[] };

/**
 * Issuer → trusted party and its public keys. Only ES256 (EC P-256) keys are accepted;
 * a malformed key, or an issuer declared twice, is refused when the list is built.
 *
 * @example
 * ```ts
 * const trust = TrustList.fromDirectory(directory);
 * trust.lookup('urn:dataspace:aero:firm:structura'); // { kind: 'firm', firmId: 'structura', ... }
 * ```
 */
const byDirectory = new WeakMap<Directory, TrustList>();

export class TrustList {
  readonly #byIssuer: ReadonlyMap<string, TrustedIssuer>;

  private constructor(byIssuer: ReadonlyMap<string, TrustedIssuer>) {
    this.#byIssuer = byIssuer;
  }

  /**
   * The trust list of a directory, built once per directory object and shared by every
   * request that uses it (the gateway's context, each subgraph's verification, the
   * directory client's check).
   * @example const trust = TrustList.of(directoryClient.current());
   */
  static of(directory: Directory): TrustList {
    let trust = byDirectory.get(directory);
    if (!trust) {
      trust = TrustList.fromDirectory(directory);
      byDirectory.set(directory, trust);
    }
    return trust;
  }

  /**
   * The trust list of a cluster directory: its members' token issuers and its gateways.
   *
   * @example
   * ```ts
   * const trust = TrustList.fromDirectory(await fetchDirectory(registryUrl));
   * ```
   */
  static fromDirectory(directory: Directory, options: TrustListOptions = {}): TrustList {
    const lifetime = (m: Directory['members'][number]) => (m.maxTokenLifetimeSeconds === undefined ? {} : { maxTokenLifetimeSeconds: m.maxTokenLifetimeSeconds });
    return TrustList.fromEntries(
      [
        ...directory.members.flatMap((m): TrustListEntry[] => [
          // A member with an identity provider and no keys of its own signs no token under its own issuer.
          ...(m.publicKeys.length > 0 || !m.identityProvider ? [{ kind: 'firm' as const, issuer: m.issuer, firmId: m.id, publicKeys: m.publicKeys, ...lifetime(m) }] : []),
          ...(m.identityProvider
            ? [{ kind: 'firm' as const, issuer: m.identityProvider.issuer, firmId: m.id, publicKeys: [], ...lifetime(m), identityProvider: m.identityProvider }]
            : []),
        ]),
        ...directory.gateways.map(
          (g): TrustListEntry => ({ kind: 'gateway', issuer: g.issuer, gatewayId: g.id, publicKeys: g.publicKeys }),
        ),
      ],
      { ...options, otherKeys: directory.members.flatMap((m) => m.serviceKeys) },
    );
  }

  /**
   * A trust list from explicit entries (tests, static configuration).
   *
   * @example
   * ```ts
   * const trust = TrustList.fromEntries([{ kind: 'firm', issuer, firmId: 'acme', publicKeys: [pem] }]);
   * ```
   */
  static fromEntries(entries: readonly TrustListEntry[], options: TrustListOptions & { otherKeys?: readonly string[] } = {}): TrustList {
    const seen = new Set<string>();
    const parsed = entries.map((entry) => {
      if (entry.issuer.length === 0) throw new Error('trust list: an issuer is empty');
      if (seen.has(entry.issuer)) {
        throw new Error(`trust list: issuer ${entry.issuer} is declared more than once`);
      }
      seen.add(entry.issuer);
      return { entry, publicKeys: Object.freeze(entry.publicKeys.map((pem, i) => parsePublicKey(pem, entry.issuer, i))) };
    });
    const byIssuer = new Map<string, TrustedIssuer>();
    const directoryKeyIds = new Set(parsed.flatMap(({ publicKeys }) => publicKeys.map((k) => keyId(k))));
    for (const pem of options.otherKeys ?? []) {
      try {
        directoryKeyIds.add(keyId(pem));
      } catch {
        // A malformed service key is refused by ServiceKeys, with its name.
      }
    }
    const keySetFor = options.keySetFor ?? sharedJwksKeySet;
    for (const { entry, publicKeys } of parsed) {
      const trusted: TrustedIssuer =
        entry.kind === 'firm'
          ? {
              kind: 'firm',
              issuer: entry.issuer,
              firmId: entry.firmId,
              publicKeys,
              maxTokenLifetimeSeconds: maxLifetime(entry),
              ...(entry.identityProvider ? { identityProvider: providerTrust(entry.identityProvider, keySetFor, directoryKeyIds) } : {}),
            }
          : { kind: 'gateway', issuer: entry.issuer, gatewayId: entry.gatewayId, publicKeys };
      byIssuer.set(entry.issuer, Object.freeze(trusted));
    }
    return new TrustList(byIssuer);
  }

  /**
   * The trusted party behind an issuer, or `undefined` when the issuer is not trusted.
   *
   * @example
   * ```ts
   * const entry = trust.lookup(iss);
   * if (entry?.kind !== 'firm') throw new AuthError('ISSUER_UNTRUSTED');
   * ```
   */
  lookup(issuer: string): TrustedIssuer | undefined {
    return this.#byIssuer.get(issuer);
  }

  /** All trusted issuers. */
  issuers(): string[] {
    return [...this.#byIssuer.keys()];
  }
}

/** How a trust list gets an identity provider's key set (tests: a set with a fake fetch and clock). */
export interface TrustListOptions {
  keySetFor?: (settings: JwksSettings) => JwksKeySet;
}

function providerTrust(idp: IdentityProviderRecord, keySetFor: (settings: JwksSettings) => JwksKeySet, directoryKeyIds: ReadonlySet<string>): IdentityProviderTrust {
  const keys = keySetFor({ uri: idp.jwksUri, cacheSeconds: idp.cacheSeconds, maxStaleSeconds: idp.maxStaleSeconds, minRefreshSeconds: idp.minRefreshSeconds });
  return Object.freeze({ keys, audience: idp.audience, algorithms: Object.freeze([...idp.algorithms]), claims: idp.claims, directoryKeyIds });
}

function parsePublicKey(pem: string, issuer: string, index: number): KeyObject {
  const key = es256PublicKey(pem, `trust list: key #${index + 1} of issuer ${issuer}`);
  // Computed once here, so that picking a key by a token's `kid` costs nothing per request.
  keyId(key);
  return key;
}

function maxLifetime(entry: { issuer: string; maxTokenLifetimeSeconds?: number }): number {
  const max = entry.maxTokenLifetimeSeconds ?? DEFAULT_MAX_TOKEN_LIFETIME_SECONDS;
  if (!Number.isInteger(max) || max <= 0) throw new Error(`trust list: maxTokenLifetimeSeconds of issuer ${entry.issuer} must be a positive integer`);
  return max;
}
