import { z } from 'zod';
import { httpUrlSchema, idSchema, listenSchema } from '../config/schemas/common.js';

/**
 * The gateway's configuration (`dataspace gateway --config gateway.yaml`):
 *
 * ```yaml
 * gatewayId: main                      # its public key must be in the registry's gateways
 * listen: { host: 127.0.0.1, port: 4000 }
 * registryUrl: http://127.0.0.1:4001
 * privateKeyFile: ./keys/gateway.key.pem
 * firmTimeoutMs: 5000
 * directoryRefreshSeconds: 10
 * introspection: false
 * ```
 */
export const gatewayConfigSchema = z.strictObject({
  gatewayId: idSchema,
  listen: listenSchema,
  registryUrl: httpUrlSchema,
  privateKeyFile: z.string().min(1),
  firmTimeoutMs: z.number().int().min(50).max(120_000).default(5_000),
  directoryRefreshSeconds: z.number().int().min(1).max(3600).default(10),
  introspection: z.boolean().default(false),
});
