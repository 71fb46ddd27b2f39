import { z } from 'zod';
import { httpUrlSchema, idSchema, listenSchema } from '../config/schemas/common.js';
import { circuitBreakerSchema } from './gatewayConfig.js';

/**
 * The stand-alone owner router's configuration (`dataspace router --config router.yaml`),
 * for another federation gateway in front of the cluster (README, "Another federation
 * gateway in front"):
 *
 * ```yaml
 * gatewayId: peer                      # its public key must be in the registry's gateways
 * listen: { host: 127.0.0.1, port: 4010 }
 * registryUrl: http://127.0.0.1:4001
 * privateKeyFile: ./keys/peer.key.pem
 * firmTimeoutMs: 5000                  # per firm and fetch
 * requestTimeoutMs: 15000              # per subgraph request from the gateway in front
 * circuitBreaker: { enabled: true, failureThreshold: 5, windowMs: 60000, cooldownMs: 30000 }
 * directoryRefreshSeconds: 10
 * localLinks: true                     # answer /links here (false: ask each owner's /links)
 * ```
 */
export const ownerRouterConfigSchema = z.strictObject({
  gatewayId: idSchema,
  listen: listenSchema,
  registryUrl: httpUrlSchema,
  privateKeyFile: z.string().min(1),
  firmTimeoutMs: z.number().int().min(50).max(120_000).default(5_000),
  requestTimeoutMs: z.number().int().min(100).max(600_000).default(15_000),
  circuitBreaker: circuitBreakerSchema,
  directoryRefreshSeconds: z.number().int().min(1).max(3600).default(10),
  localLinks: z.boolean().default(true),
});
