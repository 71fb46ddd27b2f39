import { z } from 'zod';
import type { ClaimPath, IdentityProviderRecord } from '../../cluster/directory.js';
import { httpUrlSchema } from '../../config/schemas/common.js';

/** A claim's place: `realm_access.roles` (names joined by dots), or a list of names when a name has a dot (`[https://aero.example/roles]`). */
const claimPathSchema = z
  .union([z.string().regex(/^[^.\s]+(\.[^.\s]+)*$/, 'expected claim names joined by dots, e.g. realm_access.roles'), z.array(z.string().min(1)).min(1).max(8)])
  .transform((path): ClaimPath => (typeof path === 'string' ? path.split('.') : path));

/** The defaults of an identity provider's key cache (seconds). */
export const JWKS_DEFAULTS = { cacheSeconds: 600, maxStaleSeconds: 3600, minRefreshSeconds: 10 } as const;

/**
 * `identityProvider` of a member in the registry's file: the member's OpenID Connect provider,
 * whose tokens the cluster accepts as the member's users' tokens. Its keys are fetched from
 * `jwksUri` by every verifier (gateway and firms) and cached; the firm is always this member
 * (`claims.firm`, when given, must name it too).
 *
 * ```yaml
 * identityProvider:
 *   issuer: https://login.structura.example/realms/aero
 *   jwksUri: https://login.structura.example/realms/aero/protocol/openid-connect/certs
 *   audience: aero-dataspace          # default: the cluster's audience, urn:dataspace:<clusterId>
 *   algorithms: [RS256]               # default [RS256, ES256]
 *   claims: { roles: realm_access.roles, purpose: purpose, subject: preferred_username }
 *   cacheSeconds: 600                 # refetched after; maxStaleSeconds: kept while the endpoint fails
 * ```
 */
export const identityProviderSchema = z
  .strictObject({
    issuer: z.string().min(1),
    jwksUri: httpUrlSchema,
    audience: z.string().min(1).optional(),
    algorithms: z.array(z.enum(['RS256', 'ES256'])).min(1).default(['RS256', 'ES256']),
    claims: z
      .strictObject({
        subject: claimPathSchema.default(['sub']),
        roles: claimPathSchema.default(['roles']),
        purpose: claimPathSchema.default(['purpose']),
        firm: claimPathSchema.optional(),
      })
      .default({ subject: ['sub'], roles: ['roles'], purpose: ['purpose'] }),
    cacheSeconds: z.number().int().min(1).max(86_400).default(JWKS_DEFAULTS.cacheSeconds),
    maxStaleSeconds: z.number().int().min(0).max(86_400).default(JWKS_DEFAULTS.maxStaleSeconds),
    minRefreshSeconds: z.number().int().min(0).max(3600).default(JWKS_DEFAULTS.minRefreshSeconds),
  })
  .transform(
    (idp): IdentityProviderRecord => ({
      issuer: idp.issuer,
      jwksUri: idp.jwksUri,
      ...(idp.audience === undefined ? {} : { audience: idp.audience }),
      algorithms: [...new Set(idp.algorithms)],
      claims: { subject: idp.claims.subject, roles: idp.claims.roles, purpose: idp.claims.purpose, ...(idp.claims.firm ? { firm: idp.claims.firm } : {}) },
      cacheSeconds: idp.cacheSeconds,
      maxStaleSeconds: idp.maxStaleSeconds,
      minRefreshSeconds: idp.minRefreshSeconds,
    }),
  );
