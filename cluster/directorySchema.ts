import { z } from 'zod';
import { MAX_TOKEN_LIFETIME_LIMIT_SECONDS, type Directory } from './directory.js';

const endpoints = z.object({ firm: z.string(), links: z.string() });
const claimPath = z.array(z.string().min(1)).min(1);

/** A member's identity provider (cluster/directory.ts IdentityProviderRecord). */
const identityProvider = z.object({
  issuer: z.string().min(1),
  jwksUri: z.string().regex(/^https?:\/\//),
  audience: z.string().min(1).optional(),
  algorithms: z.array(z.enum(['RS256', 'ES256'])).min(1),
  claims: z.object({ subject: claimPath, roles: claimPath, purpose: claimPath, firm: claimPath.optional() }),
  cacheSeconds: z.number().int().min(1),
  maxStaleSeconds: z.number().int().min(0),
  minRefreshSeconds: z.number().int().min(0),
});

/** The shape of the registry's `GET /directory` document, checked by every reader. */
export const directorySchema = z.object({
  clusterId: z.string().min(1),
  audience: z.string().min(1),
  members: z.array(
    z.object({
      id: z.string().min(1),
      name: z.string(),
      role: z.enum(['lead', 'partner']),
      tier: z.number().int(),
      sector: z.string(),
      endpoints,
      issuer: z.string().min(1),
      publicKeys: z.array(z.string()),
      serviceKeys: z.array(z.string()),
      maxTokenLifetimeSeconds: z.number().int().min(1).max(MAX_TOKEN_LIFETIME_LIMIT_SECONDS).optional(),
      identityProvider: identityProvider.optional(),
    }),
  ),
  gateways: z.array(z.object({ id: z.string().min(1), issuer: z.string().min(1), publicKeys: z.array(z.string()) })),
  relationships: z.array(z.object({ supplier: z.string(), customer: z.string() })),
  terms: z.object({ format: z.enum(['yaml', 'json']), source: z.string(), version: z.string() }).optional(),
}) satisfies z.ZodType<Directory>;

/**
 * Reads a directory document; throws an Error naming the first bad key.
 * @example parseDirectory(await res.json())
 */
export function parseDirectory(input: unknown): Directory {
  const result = directorySchema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`invalid directory: ${issue?.path.join('.') || 'document'}: ${issue?.message ?? 'invalid'}`);
  }
  return result.data;
}
