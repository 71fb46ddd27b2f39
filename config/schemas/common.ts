import { z } from 'zod';

/** A firm or gateway id: lower-case letters, digits and dashes. */
export const idSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'expected an id of lower-case letters, digits and dashes');

export const httpUrlSchema = z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' });

/**
 * The cluster operator's public key files a reader of the directory pins (relative to its
 * configuration file): one, or two while the operator rotates its key.
 */
export const operatorPublicKeyFilesSchema = z.array(z.string().min(1)).min(1, 'pin the operator key: one file, or two during a rotation').max(2, 'pin one or two operator keys');

export const listenSchema = z
  .strictObject({
    host: z.string().min(1).default('127.0.0.1'),
    port: z.number().int().min(0).max(65_535),
  })
  .describe('where the server listens');

/**
 * `tls`: listen with TLS. The certificate (PEM, the server's first, then any intermediates)
 * and its private key, relative to the configuration file; the server's URL becomes https://.
 * Outbound calls trust the cluster's CA through NODE_EXTRA_CA_CERTS (docs/deployment.md).
 */
export const tlsSchema = z
  .strictObject({
    certFile: z.string().min(1),
    keyFile: z.string().min(1),
  })
  .optional()
  .describe('TLS certificate and key files');

/**
 * `metrics`: who may scrape `GET /metrics`. `tokenFile` holds the scrape credential (a bearer
 * token of at least 32 characters); `listen` serves `/metrics` on a separate address instead
 * of the server's port. Neither: local callers only (http/metricsEndpoint.ts).
 */
export const metricsSchema = z
  .strictObject({
    tokenFile: z.string().min(1).optional(),
    listen: listenSchema.optional(),
  })
  .optional()
  .describe('who may scrape GET /metrics');
