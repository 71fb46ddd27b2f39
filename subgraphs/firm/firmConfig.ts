import { z } from 'zod';
import { httpUrlSchema, idSchema, listenSchema, metricsSchema, operatorPublicKeyFilesSchema, tlsSchema } from '../../config/schemas/common.js';
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
 * gatewayUrl: http://127.0.0.1:4000/graphql   # optional: a receipt checks the supplier's shipment through it (docs/write-api.md)
 * serviceKeyFile: ./keys/structura-service.key.pem   # the SERVICE key (serviceKeyFiles at the registry), never the user-token key
 * operatorPublicKeyFiles: [./keys/operator.pub.pem]   # the directory must be signed by it (two during a rotation)
 * directoryRefreshSeconds: 10
 * limits: { maxCost: 2000000, rateLimit: { requestsPerSecond: 300, burst: 600 } }   # README "Limits"
 * tls: { certFile: ./tls/structura.crt, keyFile: ./tls/structura.key }   # optional: https:// (docs/deployment.md)
 * metrics: { tokenFile: ./metrics.token }   # optional: GET /metrics with this bearer token; or listen: { host, port }
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
  /**
   * The cluster gateway's GraphQL endpoint: the write API's `recordReceipt` checks a supplier's
   * shipment through it with the caller's own token. Absent: receipts are stored unverified.
   */
  gatewayUrl: httpUrlSchema.optional(),
  /**
   * The firm's SERVICE private key (PEM), whose public half the directory lists in the member's
   * `serviceKeys`: the process reads the directory (members only) with it. Never the key that
   * signs the firm's users' tokens: the firm process does not need it, and the registry refuses it.
   */
  serviceKeyFile: z.string().min(1),
  /** The old name: refused with a word on what changed, so that no firm keeps reading with its user-token key. */
  privateKeyFile: z
    .never({ error: "renamed serviceKeyFile: the firm's own service key (its public half in the registry's serviceKeyFiles), not the key that signs its users' tokens" })
    .optional(),
  operatorPublicKeyFiles: operatorPublicKeyFilesSchema,
  directoryRefreshSeconds: z.number().int().min(1).max(3600).default(10),
  limits: limitsSchema(SUBGRAPH_LIMITS),
  /** Listen with TLS: `{ certFile, keyFile }`, relative to this file (docs/deployment.md). */
  tls: tlsSchema,
  /** Who may scrape GET /metrics: `{ tokenFile, listen }`; neither: local callers only. */
  metrics: metricsSchema,
});

export type FirmConfig = z.infer<typeof firmConfigSchema>;
