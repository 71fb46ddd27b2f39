import { z } from 'zod';
import { httpUrlSchema, idSchema, listenSchema, operatorPublicKeyFilesSchema } from '../../config/schemas/common.js';
import { limitsSchema, SUBGRAPH_LIMITS } from '../../limits/limitsConfig.js';

/**
 * A partner's firm configuration (`dataspace firm --config firm.yaml`):
 *
 * ```yaml
 * firmId: structura
 * listen: { host: 127.0.0.1, port: 4103 }
 * database: { dataDir: ./data/structura }      # or { url: postgres://... }; DATABASE_URL overrides
 * policyFile: ./structura.policy.yaml          # relative to this file
 * registryUrl: http://127.0.0.1:4001
 * privateKeyFile: ./keys/structura.key.pem    # the member key: reads the directory as this member
 * operatorPublicKeyFiles: [./keys/operator.pub.pem]   # the directory must be signed by it (two during a rotation)
 * directoryRefreshSeconds: 10
 * limits: { maxCost: 2000000, rateLimit: { requestsPerSecond: 300, burst: 600 } }   # README "Limits"
 * ```
 */
export const firmConfigSchema = z.strictObject({
  firmId: idSchema,
  listen: listenSchema,
  database: z
    .strictObject({
      url: z.string().regex(/^postgres(ql)?:\/\//, 'expected a postgres:// URL').optional(),
      dataDir: z.string().min(1).optional(),
    })
    .default({}),
  policyFile: z.string().min(1),
  registryUrl: httpUrlSchema,
  /** The member's private key (PEM), whose public half the directory lists: the registry serves the directory to members only. */
  privateKeyFile: z.string().min(1),
  operatorPublicKeyFiles: operatorPublicKeyFilesSchema,
  directoryRefreshSeconds: z.number().int().min(1).max(3600).default(10),
  limits: limitsSchema(SUBGRAPH_LIMITS),
});

export type FirmConfig = z.infer<typeof firmConfigSchema>;
