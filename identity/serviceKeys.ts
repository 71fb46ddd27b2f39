/**
 * Service keys: each member's subgraph process has a key of its own, apart from the keys of
 * the member's identity provider that sign its users' tokens. The process signs with it when
 * it speaks for the firm to another server (its directory reader token), so it never holds a
 * key that could mint a user token (an admin of its firm); and a firm that runs its own
 * identity provider keeps the IdP's signing key out of its data-serving process.
 *
 * The two sets never meet: service keys are kept here, never in the TrustList that verifies
 * user tokens and gateway credentials, and a directory in which a service key is also a
 * user-token or gateway key, or another member's service key, is refused whole (the registry
 * at its file, every reader at the document).
 */
import type { KeyObject } from 'node:crypto';
import type { Directory } from '../cluster/directory.js';
import { es256PublicKey } from './es256PublicKey.js';
import { keyId } from './keyId.js';
import { TrustList } from './trustList.js';

/** Where a service key of a directory clashes with another key, for an error naming it. */
export interface ServiceKeyClash {
  /** Index of the member in `directory.members`, and of the key in its `serviceKeys`. */
  member: number;
  key: number;
  message: string;
}

const byDirectory = new WeakMap<Directory, ServiceKeys>();

/**
 * Member id → its service keys (parsed, ES256). Built once per directory object.
 *
 * @example
 * ```ts
 * const keys = ServiceKeys.of(directory).keysOf('structura'); // KeyObject[] or undefined
 * verifyEs256(token, keys ?? [], { issuer: 'structura', audience });
 * ```
 */
export class ServiceKeys {
  readonly #byMember: ReadonlyMap<string, readonly KeyObject[]>;

  private constructor(byMember: ReadonlyMap<string, readonly KeyObject[]>) {
    this.#byMember = byMember;
  }

  /**
   * The service keys of a directory, built once per directory object; throws an Error naming
   * the member and the key when one is malformed or clashes (see {@link serviceKeyClash}).
   * @example ServiceKeys.of(directoryClient.current()).keysOf('structura')
   */
  static of(directory: Directory): ServiceKeys {
    let keys = byDirectory.get(directory);
    if (!keys) {
      keys = ServiceKeys.fromDirectory(directory);
      byDirectory.set(directory, keys);
    }
    return keys;
  }

  /**
   * Builds the service keys of a directory (not cached).
   * @example const keys = ServiceKeys.fromDirectory(parseDirectory(json));
   */
  static fromDirectory(directory: Directory): ServiceKeys {
    const clash = serviceKeyClash(directory);
    if (clash) throw new Error(clash.message);
    return new ServiceKeys(new Map(directory.members.map((m) => [m.id, Object.freeze(m.serviceKeys.map((pem, i) => parse(pem, m.id, i)))])));
  }

  /** A member's service keys, or `undefined` when the directory lists no such member. */
  keysOf(memberId: string): readonly KeyObject[] | undefined {
    return this.#byMember.get(memberId);
  }
}

/**
 * The first service key of a directory that is malformed, one of the trust list's keys (a
 * member's user-token key or a gateway's credential key: the same pair in both roles), or
 * another member's service key (one firm could speak as the other); `undefined` when none.
 * Keys are compared by their RFC 7638 thumbprint, whatever their PEM text. Throws only when
 * the trust list itself does not build.
 *
 * @example
 * ```ts
 * const clash = serviceKeyClash(directory);
 * if (clash) throw new ConfigError(file, `members[${clash.member}].serviceKeyFiles[${clash.key}]`, clash.message);
 * ```
 */
export function serviceKeyClash(directory: Directory): ServiceKeyClash | undefined {
  const trust = TrustList.of(directory);
  const roleOf = new Map<string, string>();
  for (const issuer of trust.issuers()) {
    const entry = trust.lookup(issuer);
    if (!entry) continue;
    const role = entry.kind === 'firm' ? `a user-token key of member ${entry.firmId}` : `a credential key of gateway ${entry.gatewayId}`;
    for (const key of entry.publicKeys) roleOf.set(keyId(key), role);
  }
  for (const [m, member] of directory.members.entries()) {
    for (const [k, pem] of member.serviceKeys.entries()) {
      let id: string;
      try {
        id = keyId(parse(pem, member.id, k));
      } catch (error) {
        return { member: m, key: k, message: (error as Error).message };
      }
      const role = roleOf.get(id);
      if (role !== undefined && role !== `the service key of member ${member.id}`) {
        return { member: m, key: k, message: `service key #${k + 1} of member ${member.id} is also ${role}: a service key must be a key of its own` };
      }
      roleOf.set(id, `the service key of member ${member.id}`);
    }
  }
  return undefined;
}

function parse(pem: string, memberId: string, index: number): KeyObject {
  return es256PublicKey(pem, `service key #${index + 1} of member ${memberId}`);
}
