import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { PublishedTerms } from './directory.js';

/**
 * Reads a cluster terms file for publication in the directory.
 * @example directory.terms = publishTerms('demo/clusterTerms.yaml');
 */
export function publishTerms(file: string): PublishedTerms {
  const source = readFileSync(file, 'utf8');
  return {
    format: file.toLowerCase().endsWith('.json') ? 'json' : 'yaml',
    source,
    version: createHash('sha256').update(source).digest('hex'),
  };
}
