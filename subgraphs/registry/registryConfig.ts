import { z } from 'zod';
import { httpUrlSchema, idSchema, listenSchema, tlsSchema } from '../../config/schemas/common.js';
import { MAX_TOKEN_LIFETIME_LIMIT_SECONDS, memberIssuer } from '../../cluster/directory.js';
import { DEFAULT_DIRECTORY_TTL_SECONDS, MAX_DIRECTORY_TTL_SECONDS } from '../../cluster/directoryDocument.js';
import { limitsSchema, SUBGRAPH_LIMITS } from '../../limits/limitsConfig.js';
import { identityProviderSchema } from './identityProviderConfig.js';

const memberSchema = z.strictObject({
  id: idSchema,
  name: z.string().min(1),
  role: z.enum(['lead', 'partner']),
  tier: z.number().int().min(0).max(20),
  sector: z.string().default(''),
  endpoints: z.strictObject({ firm: httpUrlSchema, links: httpUrlSchema }),
  /** Default: urn:dataspace:<clusterId>:firm:<id>. */
  issuer: z.string().min(1).optional(),
  /**
   * PEM files (relative to the registry file) of the keys that verify the user tokens this
   * member signs itself (issuer `issuer`); may be empty when `identityProvider` is given.
   */
  publicKeyFiles: z.array(z.string().min(1)).default([]),
  /** The member's OpenID Connect provider: its tokens verified with the keys of its JWKS (identityProviderConfig.ts). */
  identityProvider: identityProviderSchema.optional(),
  /**
   * PEM files of the member's SERVICE key (one, or two during a rotation): its subgraph
   * process signs with it (the directory reader token); never one of `publicKeyFiles`.
   */
  serviceKeyFiles: z.array(z.string().min(1)).min(1).max(2),
  /** The longest lifetime of this member's user tokens (seconds); default 4 hours, at most a day. */
  maxTokenLifetimeSeconds: z.number().int().min(60).max(MAX_TOKEN_LIFETIME_LIMIT_SECONDS).optional(),
});

/**
 * The registry's configuration (`dataspace registry --config cluster.yaml`): the operator's
 * declaration of the cluster. The registry re-reads it when it changes, so adding a member is
 * an edit of this file: no restart of anything.
 */
export const registryConfigSchema = z
  .strictObject({
    clusterId: idSchema,
    listen: listenSchema,
    /** The operator's private key (PEM, relative to this file): the directory is signed with it; readers pin its public half. */
    operatorPrivateKeyFile: z.string().min(1),
    /** How long a signed directory is valid; re-signed at half of it and on every change. */
    directoryTtlSeconds: z.number().int().min(10).max(MAX_DIRECTORY_TTL_SECONDS).default(DEFAULT_DIRECTORY_TTL_SECONDS),
    members: z.array(memberSchema).min(1),
    gateways: z.array(z.strictObject({ id: idSchema, issuer: z.string().min(1).optional(), publicKeyFiles: z.array(z.string().min(1)).min(1) })).min(1),
    relationships: z.array(z.strictObject({ supplier: idSchema, customer: idSchema })).default([]),
    /** The cluster terms (purposes, baseline rules, prohibitions), relative to this file. */
    termsFile: z.string().min(1).optional(),
    /** The registry's own operation limits and rate limit (README "Limits"); subgraph defaults. */
    limits: limitsSchema(SUBGRAPH_LIMITS),
    /** Listen with TLS: `{ certFile, keyFile }`, relative to this file (docs/deployment.md). */
    tls: tlsSchema,
  })
  .superRefine((cfg, ctx) => {
    const ids = new Set<string>();
    const issuers = new Set<string>();
    cfg.members.forEach((m, i) => {
      if (ids.has(m.id)) ctx.addIssue({ code: 'custom', path: ['members', i, 'id'], message: `duplicate member id "${m.id}"` });
      ids.add(m.id);
      if (m.publicKeyFiles.length === 0 && !m.identityProvider) {
        ctx.addIssue({ code: 'custom', path: ['members', i, 'publicKeyFiles'], message: "name the keys of the member's user tokens: publicKeyFiles, or an identityProvider" });
      }
      const own = m.issuer ?? memberIssuer(cfg.clusterId, m.id);
      const idp = m.identityProvider?.issuer;
      if (idp !== undefined && (idp === own || issuers.has(idp))) {
        ctx.addIssue({ code: 'custom', path: ['members', i, 'identityProvider', 'issuer'], message: `issuer "${idp}" is already another issuer of the cluster: an identity provider speaks for one member only` });
      }
      issuers.add(own);
      if (idp !== undefined) issuers.add(idp);
    });
    cfg.relationships.forEach((r, i) => {
      for (const side of ['supplier', 'customer'] as const) {
        if (!ids.has(r[side])) ctx.addIssue({ code: 'custom', path: ['relationships', i, side], message: `unknown member "${r[side]}"` });
      }
      if (r.supplier === r.customer) ctx.addIssue({ code: 'custom', path: ['relationships', i], message: 'a firm cannot supply itself' });
    });
  });

export type RegistryConfig = z.infer<typeof registryConfigSchema>;
