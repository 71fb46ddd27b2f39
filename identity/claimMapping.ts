/**
 * Claim mapping: reads the cluster's notions (subject, roles, purpose) from the claims of an
 * identity provider's token, wherever that provider puts them (Keycloak's roles are in
 * `realm_access.roles`, Entra ID's in `roles`). The firm is never read from a token: it is the
 * member whose directory entry names the issuer; a mapped `firm` claim is only checked against it,
 * so that no provider can speak for another member.
 */
import type { ClaimMapping, ClaimPath } from '../cluster/directory.js';

/** What a mapped token says, or why it says nothing usable. */
export type MappedClaims =
  | { ok: true; subject: string; roles: string[]; purpose?: string }
  | { ok: false; code: 'TOKEN_INVALID' | 'FIRM_MISMATCH'; message: string };

/** Longest role list and role name accepted from a provider's token. */
const MAX_ROLES = 100;
const MAX_CLAIM_LENGTH = 256;

/**
 * The value at a claim path, or `undefined` when a member on the way is missing or not an object.
 * @example claimAt({ realm_access: { roles: ['planner'] } }, ['realm_access', 'roles']); // ['planner']
 */
export function claimAt(payload: Readonly<Record<string, unknown>>, path: ClaimPath): unknown {
  let value: unknown = payload;
  for (const name of path) {
    if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.hasOwn(value, name)) return undefined;
    value = (value as Record<string, unknown>)[name];
  }
  return value;
}

/**
 * Maps a verified token's claims for member `firmId`: the subject must be a non-empty string;
 * roles an array of strings or one space-separated string (absent: none); the purpose a string
 * (absent: none); and the `firm` claim, when the mapping names one, must equal `firmId`
 * (FIRM_MISMATCH otherwise, also when it is missing).
 *
 * @example
 * ```ts
 * mapClaims({ sub: 'u1', realm_access: { roles: ['planner'] } }, { subject: ['sub'], roles: ['realm_access', 'roles'], purpose: ['purpose'] }, 'structura');
 * // { ok: true, subject: 'u1', roles: ['planner'] }
 * ```
 */
export function mapClaims(payload: Readonly<Record<string, unknown>>, mapping: ClaimMapping, firmId: string): MappedClaims {
  if (mapping.firm !== undefined && claimAt(payload, mapping.firm) !== firmId) {
    return { ok: false, code: 'FIRM_MISMATCH', message: `the token's ${name(mapping.firm)} claim is not ${firmId}, the firm of its issuer` };
  }
  const subject = claimAt(payload, mapping.subject);
  if (!isShortString(subject) || subject.length === 0) return invalid(mapping.subject, 'missing or not a string');
  const roles = rolesOf(claimAt(payload, mapping.roles));
  if (roles === undefined) return invalid(mapping.roles, 'not a list of role names');
  const purpose = claimAt(payload, mapping.purpose);
  if (purpose !== undefined && !isShortString(purpose)) return invalid(mapping.purpose, 'not a string');
  return { ok: true, subject, roles, ...(purpose === undefined ? {} : { purpose }) };
}

function rolesOf(value: unknown): string[] | undefined {
  if (value === undefined) return [];
  const list = typeof value === 'string' ? value.split(/\s+/).filter((r) => r.length > 0) : value;
  if (!Array.isArray(list) || list.length > MAX_ROLES || !list.every((r) => isShortString(r) && r.length > 0)) return undefined;
  return [...new Set(list as string[])];
}

function isShortString(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_CLAIM_LENGTH;
}

function name(path: ClaimPath): string {
  return path.join('.');
}

function invalid(path: ClaimPath, why: string): MappedClaims {
  return { ok: false, code: 'TOKEN_INVALID', message: `the token is invalid: claim ${name(path)} ${why}` };
}
