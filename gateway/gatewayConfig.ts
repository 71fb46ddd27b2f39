import { z } from 'zod';
import { httpUrlSchema, idSchema, listenSchema, metricsSchema, operatorPublicKeyFilesSchema, tlsSchema } from '../config/schemas/common.js';
import { GATEWAY_LIMITS, limitsSchema } from '../limits/limitsConfig.js';

/** `circuitBreaker` of the gateway and of the owner router (routing/circuitBreaker.ts). */
export const circuitBreakerSchema = z
  .strictObject({
    enabled: z.boolean().default(true),
    failureThreshold: z.number().int().min(1).max(1_000).default(5),
    windowMs: z.number().int().min(100).max(3_600_000).default(60_000),
    cooldownMs: z.number().int().min(100).max(3_600_000).default(30_000),
  })
  .prefault({});

/**
 * The gateway's configuration (`dataspace gateway --config gateway.yaml`):
 *
 * ```yaml
 * gatewayId: main                      # its public key must be in the registry's gateways
 * listen: { host: 127.0.0.1, port: 4000 }
 * registryUrl: http://127.0.0.1:4001
 * privateKeyFile: ./keys/gateway.key.pem
 * operatorPublicKeyFiles: [./keys/operator.pub.pem]   # the directory must be signed by it (two during a rotation)
 * firmTimeoutMs: 5000                  # per firm and fetch
 * requestTimeoutMs: 15000              # per client request: pending fetches → null + REQUEST_TIMEOUT
 * circuitBreaker: { enabled: true, failureThreshold: 5, windowMs: 60000, cooldownMs: 30000 }
 * directoryRefreshSeconds: 10
 * introspection: false                # true = development mode: introspection and field suggestions
 * localLinks: true                     # answer key-only links hops here (false: ask each owner's /links)
 * limits: { maxDepth: 20, maxCost: 1000000, rateLimit: { requestsPerSecond: 50, burst: 100 } }   # README "Limits"
 * trustedDocumentsFile: ./trusted-documents.json   # optional: only these operations run
 * tls: { certFile: ./tls/gateway.crt, keyFile: ./tls/gateway.key }   # optional: https:// (docs/deployment.md)
 * metrics: { tokenFile: ./metrics.token }   # optional: GET /metrics with this bearer token; or listen: { host, port }
 * ```
 */
export const gatewayConfigSchema = z.strictObject({
  gatewayId: idSchema,
  listen: listenSchema,
  registryUrl: httpUrlSchema,
  privateKeyFile: z.string().min(1),
  operatorPublicKeyFiles: operatorPublicKeyFilesSchema,
  firmTimeoutMs: z.number().int().min(50).max(120_000).default(5_000),
  requestTimeoutMs: z.number().int().min(100).max(600_000).default(15_000),
  circuitBreaker: circuitBreakerSchema,
  directoryRefreshSeconds: z.number().int().min(1).max(3600).default(10),
  introspection: z.boolean().default(false),
  /** Answer the key-only `links` hops in the gateway (default) instead of asking each owner. */
  localLinks: z.boolean().default(true),
  limits: limitsSchema(GATEWAY_LIMITS),
  trustedDocumentsFile: z.string().min(1).optional(),
  /** Listen with TLS: `{ certFile, keyFile }`, relative to this file (docs/deployment.md). */
  tls: tlsSchema,
  /** Who may scrape GET /metrics: `{ tokenFile, listen }`; neither: local callers only. */
  metrics: metricsSchema,
});
