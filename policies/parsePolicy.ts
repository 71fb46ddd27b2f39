import { parseDocument } from 'yaml';
import { policyIssue, PolicyError } from './PolicyError.js';
import type { PolicyDocument } from './policyFile.js';
import { validatePolicy, type ValidatePolicyOptions } from './validatePolicy.js';

/** Options of {@link parsePolicy}: those of validation, and the text's format. */
export interface ParsePolicyOptions extends ValidatePolicyOptions {
  /** `json` or `yaml`; by default JSON when `file` ends in `.json`, else YAML. */
  format?: 'yaml' | 'json';
}

function fail(file: string, reason: string): never {
  throw new PolicyError([policyIssue(file, [], undefined, reason)]);
}

function parseText(text: string, file: string, format: 'yaml' | 'json'): unknown {
  if (format === 'json') {
    try {
      JSON.parse(text);
    } catch (error) {
      fail(file, `invalid JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  // JSON is YAML too: parsing JSON again with `yaml` catches its duplicate keys as well.
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  const [error] = doc.errors;
  if (error) {
    // With prettyErrors the message reads `<reason> at line L, column C:` and then an excerpt.
    const [firstLine = error.message] = error.message.split('\n');
    fail(file, `invalid ${format === 'json' ? 'JSON' : 'YAML'}: ${firstLine.replace(/:$/, '')}`);
  }
  return doc.toJS();
}

/**
 * Parses and validates a policy file's text (pure: the caller reads the file).
 * Throws a PolicyError naming file, rule and key for any problem.
 * @example
 * const policy = parsePolicy(readFileSync(path, 'utf8'), { file: path, model, expectedFirm: 'structura' });
 */
export function parsePolicy(text: string, options: ParsePolicyOptions): PolicyDocument {
  const format = options.format ?? (options.file.toLowerCase().endsWith('.json') ? 'json' : 'yaml');
  return validatePolicy(parseText(text, options.file, format), options);
}
