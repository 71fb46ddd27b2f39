import { readFileSync } from 'node:fs';
import type { DataModel } from '../schema/model.js';
import { parseClusterTerms } from './parseClusterTerms.js';
import { policyIssue, PolicyError } from './PolicyError.js';
import type { ClusterTerms } from './policyFile.js';

/** Options of {@link loadClusterTerms}; `file` (the name in messages) defaults to the path, `now` to the current time. */
export interface LoadClusterTermsOptions {
  model: DataModel;
  file?: string;
  now?: Date;
}

/**
 * Reads and validates the cluster terms file (YAML, or JSON when it ends in `.json`). With
 * `loadPolicyFile`, the only I/O of `policies/`. An unreadable file is a PolicyError too.
 * @example const terms = loadClusterTerms('demo/clusterTerms.yaml', { model });
 */
export function loadClusterTerms(path: string, options: LoadClusterTermsOptions): ClusterTerms {
  const file = options.file ?? path;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new PolicyError([policyIssue(file, [], undefined, `cannot read the file: ${reason}`, 'cluster terms file')]);
  }
  return parseClusterTerms(text, { model: options.model, file, now: options.now ?? new Date() });
}
