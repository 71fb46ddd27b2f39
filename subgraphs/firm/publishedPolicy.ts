import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/**
 * A firm's policy as it publishes it at `GET /policy`: the file verbatim, so that peers
 * evaluate reciprocity ("give to get") against exactly what the firm enforces. A policy
 * describes what is offered to whom; it holds no data, but its rules and comments are the
 * firm's business: like the registry's directory, it is served to the cluster's members only
 * (policyEndpoint.ts).
 */
export interface PublishedPolicy {
  firm: string;
  format: 'yaml' | 'json';
  source: string;
  version: string;
  /** Where the firm read it (named in validation messages; never served). */
  file?: string;
}

/** Reads a policy file for publication. */
export function publishPolicy(firm: string, file: string): PublishedPolicy {
  const source = readFileSync(file, 'utf8');
  return {
    firm,
    format: file.toLowerCase().endsWith('.json') ? 'json' : 'yaml',
    source,
    version: createHash('sha256').update(source).digest('hex'),
    file,
  };
}
