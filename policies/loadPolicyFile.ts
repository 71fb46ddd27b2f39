import { readFileSync } from 'node:fs';
import { policyIssue, PolicyError } from './PolicyError.js';
import type { PolicyDocument } from './policyFile.js';
import { parsePolicy, type ParsePolicyOptions } from './parsePolicy.js';

/**
 * Options of {@link loadPolicyFile}: those of parsing; `file` (the name shown in messages)
 * defaults to the path, and `now` (for refusing expired rules) to the current time.
 */
export type LoadPolicyFileOptions = Omit<ParsePolicyOptions, 'file'> & { file?: string };

/**
 * Reads a policy file (YAML, or JSON when it ends in `.json`) and validates it. With
 * `loadClusterTerms`, the only I/O of `policies/` (it also reads the clock, for `now`).
 * An unreadable file is a PolicyError too: the firm then serves nothing.
 * @example
 * const policy = loadPolicyFile('demo/policies/structura.yaml', { model, expectedFirm: 'structura' });
 */
export function loadPolicyFile(path: string, options: LoadPolicyFileOptions): PolicyDocument {
  const file = options.file ?? path;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new PolicyError([policyIssue(file, [], undefined, `cannot read the file: ${reason}`)]);
  }
  return parsePolicy(text, { ...options, file, now: options.now ?? new Date() });
}
