import { z } from 'zod';
import { httpUrlSchema, idSchema, listenSchema } from '../../config/schemas/common.js';
import { limitsSchema, SUBGRAPH_LIMITS } from '../../limits/limitsConfig.js';

const memberSchema = z.strictObject({
  id: idSchema,
  name: z.string().min(1),
  role: z.enum(['lead', 'partner']),
  tier: z.number().int().min(0).max(20),
  sector: z.string().default(''),
  endpoints: z.strictObject({ firm: httpUrlSchema, links: httpUrlSchema }),
  /** Default: urn:dataspace:<clusterId>:firm:<id>. */
  issuer: z.string().min(1).optional(),
  /** PEM files (relative to the registry file) of the keys that verify this member's tokens. */
  publicKeyFiles: z.array(z.string().min(1)).min(1),
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
    members: z.array(memberSchema).min(1),
    gateways: z.array(z.strictObject({ id: idSchema, issuer: z.string().min(1).optional(), publicKeyFiles: z.array(z.string().min(1)).min(1) })).min(1),
    relationships: z.array(z.strictObject({ supplier: idSchema, customer: idSchema })).default([]),
    /** The cluster terms (purposes, baseline rules, prohibitions), relative to this file. */
    termsFile: z.string().min(1).optional(),
    /** The registry's own operation limits and rate limit (README "Limits"); subgraph defaults. */
    limits: limitsSchema(SUBGRAPH_LIMITS),
  })
  .superRefine((cfg, ctx) => {
    const ids = new Set<string>();
    cfg.members.forEach((m, i) => {
      if (ids.has(m.id)) ctx.addIssue({ code: 'custom', path: ['members', i, 'id'], message: `duplicate member id "${m.id}"` });
      ids.add(m.id);
    });
    cfg.relationships.forEach((r, i) => {
      for (const side of ['supplier', 'customer'] as const) {
        if (!ids.has(r[side])) ctx.addIssue({ code: 'custom', path: ['relationships', i, side], message: `unknown member "${r[side]}"` });
      }
      if (r.supplier === r.customer) ctx.addIssue({ code: 'custom', path: ['relationships', i], message: 'a firm cannot supply itself' });
    });
  });

export type RegistryConfig = z.infer<typeof registryConfigSchema>;
