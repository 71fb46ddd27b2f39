import { parseDocument } from 'yaml';
import { policyIssue, PolicyError } from './PolicyError.js';

/**
 * Parses a policy or cluster-terms text: strict JSON when `format` is `json`, else YAML;
 * duplicate keys are an error in both. A syntax error is a PolicyError naming the file.
 * @example parseStructuredText('version: 2', 'p.yaml', 'yaml') // { version: 2 }
 */
export function parseStructuredText(text: string, file: string, format: 'yaml' | 'json', source = 'policy file'): unknown {
  const fail = (reason: string): never => {
    throw new PolicyError([policyIssue(file, [], undefined, reason, source)]);
  };
  if (format === 'json') {
    try {
      JSON.parse(text);
    } catch (error) {
      fail(`invalid JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  // JSON is YAML too: parsing JSON again with `yaml` catches its duplicate keys as well.
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  const [error] = doc.errors;
  if (error) {
    // With prettyErrors the message reads `<reason> at line L, column C:` and then an excerpt.
    const [firstLine = error.message] = error.message.split('\n');
    fail(`invalid ${format === 'json' ? 'JSON' : 'YAML'}: ${firstLine.replace(/:$/, '')}`);
  }
  return doc.toJS();
}

/**
 * `json` when the file name ends in `.json`, else `yaml`.
 * @example formatOf('p.JSON') // 'json'
 */
export function formatOf(file: string): 'yaml' | 'json' {
  return file.toLowerCase().endsWith('.json') ? 'json' : 'yaml';
}
