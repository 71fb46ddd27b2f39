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
