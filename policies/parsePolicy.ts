import { formatOf, parseStructuredText } from './parseStructuredText.js';
import type { PolicyDocument } from './policyFile.js';
import { validatePolicy, type ValidatePolicyOptions } from './validatePolicy.js';

/** Options of {@link parsePolicy}: those of validation, and the text's format. */
export interface ParsePolicyOptions extends ValidatePolicyOptions {
  /** `json` or `yaml`; by default JSON when `file` ends in `.json`, else YAML. */
  format?: 'yaml' | 'json';
}

/**
 * Parses and validates a policy file's text (pure: the caller reads the file).
 * Throws a PolicyError naming file, rule and key for any problem.
 * @example
 * const policy = parsePolicy(readFileSync(path, 'utf8'), { file: path, model, expectedFirm: 'structura', purposes: terms.purposes.map((p) => p.id) });
 */
export function parsePolicy(text: string, options: ParsePolicyOptions): PolicyDocument {
  return validatePolicy(parseStructuredText(text, options.file, options.format ?? formatOf(options.file)), options);
}
